/* blended_progress: local times for the learner (staff's cohort matrix, filters, revocation: progress_staff.js).
   Plain ES2017; scoped to `element`. */
function BlendedProgress(runtime, element, args) {
  'use strict';
  const { when } = window.BlendedXBlocks.block(runtime, element, args);
  element.querySelectorAll('[data-pg-time]').forEach((node) => { node.textContent = when(node.getAttribute('datetime')); });
}
