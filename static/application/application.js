/* blended_application: the applicant's form (draft, submit, withdraw, offer) and staff's table and decisions.
   Plain ES2017; DOM built with BlendedXBlocks.el (textContent only); scoped to `element`. */
function BlendedApplication(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks;
  var t = B.i18n(args.i18n);
  var root = element.querySelector('[data-ap-root]') || element;
  var $ = function (selector) { return root.querySelector(selector); };
  var state = args.state;
  var status = $('[data-ap-status]');
  var NAMES = { draft: t.gettext('Draft saved'), submitted: t.gettext('Submitted'), withdrawn: t.gettext('Withdrawn'),
    selected: t.gettext('Selected: please answer the offer'), waitlisted: t.gettext('On the waitlist'),
    not_selected: t.gettext('Not selected'), accepted: t.gettext('Place accepted'), declined: t.gettext('Place declined'),
    expired: t.gettext('Offer expired') };

  function fail(result) { B.announce(status, B.errorMessage(result, t), true); }

  function answers() {
    var out = {};
    (state.questions || []).forEach(function (q) {
      var box = root.querySelector('[data-ap-question="' + q.id + '"]');
      if (!box || q.kind === 'file') { return; }
      if (q.kind === 'choice' || q.kind === 'yes_no') {
        var picked = box.querySelector('input:checked');
        if (picked) { out[q.id] = picked.value; }
      } else {
        var input = box.querySelector('input, textarea');
        if (input.value.trim() !== '') { out[q.id] = q.kind === 'number' ? Number(input.value) : input.value; }
      }
    });
    return out;
  }

  function show(data) {
    state = data;
    var app = data.application;
    var outcome = $('[data-ap-outcome]');
    if (!outcome) { return; }
    outcome.textContent = '';
    if (app) {
      var text = NAMES[app.status] || app.status;
      if (app.status === 'waitlisted') { text += ' (' + t.format(t.gettext('position {n}'), { n: app.waitlist_position }) + ')'; }
      outcome.appendChild(B.el('p', { dir: 'auto' }, [text]));
      if (app.message) { outcome.appendChild(B.el('p', { dir: 'auto' }, [app.message])); }
      (data.questions || []).forEach(function (q) {
        var box = root.querySelector('[data-ap-question="' + q.id + '"]');
        if (!box) { return; }
        var value = app.answers[q.id];
        if (q.kind === 'choice' || q.kind === 'yes_no') {
          box.querySelectorAll('input').forEach(function (input) { input.checked = input.value === value; });
        } else if (q.kind !== 'file' && value !== undefined) {
          box.querySelector('input, textarea').value = value;
        }
        box.querySelector('[data-ap-warning]').hidden = app.disqualified.indexOf(q.id) < 0;
      });
      $('[data-ap-offer]').hidden = app.status !== 'selected';
    }
  }

  function act(handler, body) {
    return B.call(runtime, element, handler, body || {}).then(function (result) {
      if (!result.ok) { fail(result); return; }
      show(result.data);
      B.announce(status, t.gettext('Saved.'));
    });
  }

  function version() { return state.application ? state.application.version : 0; }

  if ($('[data-ap-form]')) {
    $('[data-ap-save]').addEventListener('click', function () { act('save_draft', { answers: answers(), version: version() }); });
    $('[data-ap-submit]').addEventListener('click', function () { act('submit', { answers: answers(), version: version() }); });
    $('[data-ap-withdraw]').addEventListener('click', function () { act('withdraw'); });
    $('[data-ap-accept]').addEventListener('click', function () { act('accept_offer'); });
    $('[data-ap-decline]').addEventListener('click', function () { act('decline_offer'); });
    root.querySelectorAll('input[type="file"]').forEach(function (input) {
      input.addEventListener('change', function () {
        var form = new FormData();
        form.append('question', input.closest('[data-ap-question]').getAttribute('data-ap-question'));
        form.append('file', input.files[0]);
        B.upload(runtime, element, 'upload_file', form).then(function (result) {
          if (!result.ok) { fail(result); return; }
          show(result.data.state);
          B.announce(status, t.gettext('Saved.'));
        });
      });
    });
    show(state);
  }

  if (!args.staff) { return; }
  var query = { page: 1, page_size: 50, status: 'all', search: '', sort: 'submitted' };

  function load() {
    B.call(runtime, element, 'list_applications', query).then(function (result) {
      if (!result.ok) { fail(result); return; }
      var rows = $('[data-ap-rows]');
      rows.textContent = '';
      result.data.applications.forEach(function (row) {
        rows.appendChild(B.el('tr', {}, [
          B.el('td', {}, [B.el('input', { type: 'checkbox', value: String(row.user_id), 'aria-label': row.name })]),
          B.el('td', { dir: 'auto' }, [row.name]),
          B.el('td', {}, [(NAMES[row.status] || row.status) + (row.waitlist_position ? ' #' + row.waitlist_position : '')]),
          B.el('td', {}, [row.eligible ? t.gettext('Yes') : t.gettext('No')]),
          B.el('td', {}, [row.average === null ? '–' : String(row.average)]),
          B.el('td', {}, [row.my_total === null ? '–' : String(row.my_total)])
        ]));
      });
      $('[data-ap-places]').textContent = result.data.places_left === null ? '' :
        t.format(t.gettext('Places left: {n}'), { n: result.data.places_left });
    });
  }

  root.querySelectorAll('[data-ap-decide]').forEach(function (button) {
    button.addEventListener('click', function () {
      var ids = Array.prototype.map.call(root.querySelectorAll('[data-ap-rows] input:checked'), function (box) { return Number(box.value); });
      B.call(runtime, element, 'decide', { user_ids: ids, decision: button.getAttribute('data-ap-decide'),
        message: $('[data-ap-message]').value }).then(function (result) {
        if (!result.ok) { fail(result); return; }
        B.announce(status, t.gettext('Saved.'));
        load();
      });
    });
  });
  $('[data-ap-search]').addEventListener('input', function (event) { query.search = event.target.value; query.page = 1; load(); });
  $('[data-ap-export]').href = B.handlerUrl(runtime, element, 'export_applications');
  $('[data-ap-files]').href = B.handlerUrl(runtime, element, 'download_files');
  load();
}
