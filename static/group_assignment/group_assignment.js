/* blended_group_assignment, learner view: group, shared draft (versioned), files, submit, result. */
function BlendedGroupAssignment(runtime, element, args) {
  'use strict';
  const { $, el, gettext, format, say, call, upload, url, when, zone } = window.BlendedXBlocks.block(runtime, element, args);
  /* The names of the statuses of submitted work, which the group can no longer change. */
  const chosen = {}, SUBMITTED = { submitted: gettext('Submitted'), late: gettext('Submitted late'), graded: gettext('Submitted') };
  let state = null, version = 0;

  /* Ask a handler whose answer is the learner's whole state, show it and say `done`. */
  async function act(handler, body, button, done) {
    const data = await call(handler, body, { button });
    if (data) { render(data); }
    if (data && done) { say(done); }
    return data;
  }
  const action = (text, handler, body, attrs, done) => el('button', Object.assign({ type: 'button', className: 'blended-secondary', text,
    onclick: (event) => act(handler, body, event.currentTarget, done) }, attrs));

  function showDeadline() {
    const box = $('[data-due-text]');
    if (!box || !args.due) { return; }
    let text = when(args.due, args.timezone);
    if (zone !== args.timezone) { text += ' (' + format(gettext('your time: {time}'), { time: when(args.due) }) + ')'; }
    box.textContent = text;
  }

  function renderGroup() {
    const box = $('[data-group]');
    box.textContent = '';
    if (state.group) {
      if (state.mode === 'group') {
        box.append(el('p', {}, [el('strong', { text: format(gettext('Your group: {name}'), { name: state.group.name }) }),
          ' — ' + state.group.members.join(', ')]));
      }
      if (state.can_change_group && state.status === 'not_started') {
        box.append(action(gettext('Leave this group'), 'leave_group', {}));
      }
      return;
    }
    if (!state.can_change_group) {
      box.append(el('p', { text: gettext('You are not in a group yet. Your instructor will place you in one.') }));
      return;
    }
    const input = el('input', { id: 'bga-' + Math.random().toString(36).slice(2, 9), maxlength: '100', required: true });
    const create = el('button', { type: 'submit', text: gettext('Create group') });
    box.append(el('h3', { text: gettext('Join a group') }), el('ul', { className: 'bga-groups' }, state.groups.map((group) => el('li', {}, [
      group.name + ' (' + format(gettext('Members: {count}'), { count: group.size }) + ') ',
      group.has_work && !group.full ? el('span', { text: gettext('Work has started: ask your instructor to join this group.') })
        : action(group.full ? gettext('Full') : gettext('Join'), 'join_group', { group_id: group.id },
          { disabled: group.full, 'aria-label': format(gettext('Join {name}'), { name: group.name }) })]))),
    el('form', { className: 'bga-new-group', onsubmit: (event) => { event.preventDefault(); act('create_group', { name: input.value }, create); } },
      [el('label', { for: input.id, text: gettext('New group name') }), ' ', input, ' ', create]));
  }

  function renderWork() {
    const work = $('[data-work]');
    work.hidden = !state.group;
    if (!state.group) { return; }
    const locked = !!SUBMITTED[state.status], text = $('[data-text]');
    if (document.activeElement !== text || locked) { text.value = state.draft.text; }
    version = state.draft.version;
    text.readOnly = locked;
    ['[data-save]', '[data-submit]', '[data-upload]', '[data-file]'].forEach((sel) => { $(sel).disabled = locked; });
    $('[data-upload-row]').hidden = locked;
    let saved = state.draft.updated_by ? format(gettext('Last saved by {name}, {time}'), { name: state.draft.updated_by, time: when(state.draft.updated) }) : '';
    if (locked) {
      saved = format(gettext('{status} by {name}, {time}'), { status: SUBMITTED[state.status], name: state.submitted_by, time: when(state.submitted) });
    } else if (state.past_due) {
      saved += ' ' + (state.late_submissions ? gettext('The deadline has passed: a submission now will be marked late.')
        : gettext('The deadline has passed: this assignment no longer accepts submissions.'));
      $('[data-submit]').disabled = !state.late_submissions;
    }
    $('[data-saved]').textContent = saved;
    renderFiles($('[data-files]'), state.files.filter((f) => f.kind === 'work'), !locked);
  }

  function renderFiles(list, files, removable) {
    list.textContent = '';
    if (!files.length) { list.append(el('li', { text: gettext('No files yet.') })); }
    files.forEach((file) => {
      list.append(el('li', {}, [el('a', { href: url('download_file', 'file_id=' + file.id), download: file.name, text: file.name }),
        ' (' + Math.max(1, Math.round(file.size / 1024)) + ' KB' + (file.uploaded_by ? ', ' + file.uploaded_by : '') + ') ',
        chosen[file.id] ? el('span', { className: 'bga-meta', text: format(gettext('renamed from “{original}”'), { original: chosen[file.id] }) + ' ' }) : null,
        removable ? action(gettext('Remove'), 'delete_file', { file_id: file.id },
          { 'aria-label': format(gettext('Remove {name}'), { name: file.name }) }, gettext('File removed.')) : null]));
    });
  }

  function renderResult() {
    const box = $('[data-result]'), result = state.result;
    box.textContent = '';
    if (!result) {
      if (SUBMITTED[state.status]) {
        box.append(el('p', { text: gettext('Your work has been submitted. Your grade will appear here once the instructor releases it.') }));
      }
      return;
    }
    const rows = result.levels.map((level) => el('tr', {}, [el('th', { scope: 'row', text: level.criterion }), el('td', { text: level.label }),
      el('td', { text: level.points + ' / ' + level.max })]));
    box.append(el('h3', { text: gettext('Your grade') }),
      el('p', { className: 'bga-score', text: format(gettext('{points} of {max} points'), { points: result.points, max: result.max_points }) }));
    if (result.adjustment) {
      box.append(el('p', { text: format(gettext('Group points: {points}. Your adjustment: {adjustment} ({reason})'),
        { points: result.group_points, adjustment: (result.adjustment > 0 ? '+' : '') + result.adjustment, reason: result.reason }) }));
    }
    box.append(el('table', {}, [el('caption', { text: gettext('Rubric') }), el('tbody', {}, rows)]));
    if (result.feedback) { box.append(el('h4', { text: gettext('Feedback') }), el('p', { className: 'bga-feedback', dir: 'auto', text: result.feedback })); }
    const feedbackFiles = state.files.filter((f) => f.kind === 'feedback');
    if (feedbackFiles.length) { const list = el('ul', { className: 'bga-files' }); renderFiles(list, feedbackFiles, false); box.append(list); }
  }

  function renderHistory() {
    $('[data-history-box]').hidden = !state.history.length;
    $('[data-history]').replaceChildren(...state.history.map((event) => el('li', { text: when(event.at) + ' — ' + (event.by || gettext('Instructor')) + ' ' + event.label })));
  }

  function render(data) {
    state = data;
    $('[data-theirs]').hidden = true;
    renderGroup();
    renderWork();
    renderResult();
    renderHistory();
  }

  /* Save the text; resolve to true once saved. A version conflict shows the text the group saved meanwhile. */
  async function save(button) {
    const saved = await call('save_draft', { text: $('[data-text]').value, version }, { button, refused: (error) => {
      if (error.code !== 'version_conflict') { return false; }
      version = error.draft.version;
      $('[data-theirs-text]').textContent = error.draft.text;
      $('[data-theirs]').hidden = false;
      say(error.message + ' ' + format(gettext('Saved by {name}.'), { name: error.draft.updated_by || '' }), true);
      return true;
    } });
    if (!saved) { return false; }
    version = saved.draft.version;
    $('[data-theirs]').hidden = true;
    return true;
  }

  $('[data-save]').addEventListener('click', async (event) => {
    if (await save(event.currentTarget)) {
      say(gettext('Draft saved.'));
      act('get_state', {});
    }
  });

  $('[data-upload]').addEventListener('click', async (event) => {
    const input = $('[data-file]'), form = new FormData();
    if (!input.files.length) { say(gettext('Choose a file to upload.'), true); input.focus(); return; }
    form.append('file', input.files[0]);
    say(gettext('Uploading…'));
    const data = await upload('upload_file', form, { button: event.currentTarget });
    if (!data) { return; }
    input.value = '';
    if (data.renamed) { chosen[data.id] = data.original_name; }
    say(data.renamed ? format(gettext('“{original}” was uploaded as “{name}”: file names keep only letters, digits, spaces and - _ ( ).'),
      { original: data.original_name, name: data.name }) : format(gettext('{name} uploaded.'), { name: data.name }));
    act('get_state', {});
  });

  $('[data-submit]').addEventListener('click', async (event) => {
    const button = event.currentTarget;
    if ($('[data-text]').value !== state.draft.text && !await save(button)) { return; }
    act('submit', { version }, button, gettext('Submitted. Your group can no longer change the work.'));
  });

  showDeadline();
  /* The first state comes in the page (one round trip); get_state is asked only when it is missing. */
  const root = $('[data-bga-state]'), first = root && JSON.parse(root.getAttribute('data-bga-state'));
  if (first) { render(first); } else { act('get_state', {}); }
}
