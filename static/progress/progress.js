/* blended_progress: local times for the learner; the cohort matrix, its filters and revocation for staff.
   Plain ES2017; DOM built with BlendedXBlocks.el (textContent only); scoped to `element`. */
function BlendedProgress(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks;
  var t = B.i18n(args.i18n);
  var root = element.querySelector('[data-pg-root]') || element;
  var $ = function (selector) { return root.querySelector(selector); };
  root.querySelectorAll('[data-pg-time]').forEach(function (node) {
    node.textContent = B.formatDateTime(node.getAttribute('datetime'), B.browserTimeZone(), args.language);
  });
  if (!args.staff) { return; }

  var rows = $('[data-pg-rows]');
  var query = { page: 1, page_size: 50, status: 'all', search: '' };
  var total = 0;

  function fail(result) { B.announce(root, B.errorMessage(result, t), true); }

  function revoke(learner) {
    var reason = window.prompt(t.format(t.gettext('Why is the certificate of {name} revoked?'), { name: learner.full_name || learner.username }));
    if (!reason) { return; }
    B.call(runtime, element, 'revoke_certificate', { user_id: learner.user_id, reason: reason }).then(function (result) {
      if (!result.ok) { fail(result); return; }
      B.announce(root, t.gettext('The certificate was revoked.'));
      load();
    });
  }

  function render(data) {
    total = data.total;
    rows.textContent = '';
    data.learners.forEach(function (learner) {
      var cells = [B.el('th', { scope: 'row', dir: 'auto', text: learner.full_name ? learner.full_name + ' (' + learner.username + ')' : learner.username })];
      args.requirements.forEach(function (requirement) {
        var r = learner.requirements[requirement.id] || { done: 0, needed: 0, met: false };
        cells.push(B.el('td', { className: r.met ? 'bpg-met' : '' }, [r.done + ' / ' + r.needed + (r.met ? ' ✓' : '')]));
      });
      cells.push(B.el('td', {}, [learner.met ? t.gettext('Requirements met') : learner.at_risk ? t.gettext('At risk') : t.gettext('On track')]));
      cells.push(B.el('td', {}, [learner.certificate === 'issued' ? B.el('button', {
        type: 'button', className: 'blended-secondary', text: t.gettext('Revoke certificate'),
        'aria-label': t.format(t.gettext('Revoke the certificate of {name}'), { name: learner.full_name || learner.username }),
        onclick: function () { revoke(learner); }
      }) : learner.certificate === 'revoked' ? t.gettext('Certificate revoked') : null]));
      rows.appendChild(B.el('tr', { className: learner.at_risk ? 'bpg-risk' : '' }, cells));
    });
    $('[data-pg-counts]').textContent = t.format(t.gettext('{all} learners: {met} met every requirement, {at_risk} at risk.'), data.counts);
    var pages = Math.max(1, Math.ceil(total / query.page_size));
    $('[data-pg-page]').textContent = t.format(t.gettext('Page {page} of {pages}'), { page: query.page, pages: pages });
    $('[data-pg-prev]').disabled = query.page <= 1;
    $('[data-pg-next]').disabled = query.page >= pages;
  }

  function load() {
    B.call(runtime, element, 'cohort', query).then(function (result) {
      if (!result.ok) { fail(result); return; }
      render(result.data);
    });
  }

  $('[data-pg-filters]').addEventListener('submit', function (event) {
    event.preventDefault();
    query.status = event.target.elements.status.value;
    query.search = event.target.elements.search.value.trim();
    query.page = 1;
    load();
  });
  $('[data-pg-prev]').addEventListener('click', function () { query.page -= 1; load(); });
  $('[data-pg-next]').addEventListener('click', function () { query.page += 1; load(); });
  $('[data-pg-export]').setAttribute('href', runtime.handlerUrl(element, 'export_cohort'));
  load();
}
