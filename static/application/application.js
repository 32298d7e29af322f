/* blended_application: the applicant's form (draft, submit, withdraw, offer) and staff's table, review and decisions.
   Plain ES2017; DOM built with BlendedXBlocks.el (textContent only); scoped to `element`. */
function BlendedApplication(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks;
  var t = B.i18n(args.i18n);
  var root = element.querySelector('[data-ap-root]') || element;
  var $ = function (selector) { return root.querySelector(selector); };
  var language = root.getAttribute('lang') || undefined;
  var state = args.state;
  var NAMES = { draft: t.gettext('Draft saved'), submitted: t.gettext('Submitted'), withdrawn: t.gettext('Withdrawn'),
    selected: t.gettext('Selected: please answer the offer'), waitlisted: t.gettext('On the waitlist'),
    not_selected: t.gettext('Not selected'), accepted: t.gettext('Place accepted'), declined: t.gettext('Place declined'),
    expired: t.gettext('Offer expired') };
  var AGREEMENT = { not_requested: t.gettext('not requested yet'), pending: t.gettext('waiting for your supervisor'),
    awaiting_staff: t.gettext('approved by your supervisor, waiting for the course team'),
    approved: t.gettext('approved'), declined: t.gettext('declined'), expired: t.gettext('expired, ask again') };

  function fail(result) { B.announce(root, B.errorMessage(result, t), true); }
  function when(iso) { return B.formatDateTime(iso, B.browserTimeZone(), language); }

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

  /* Say at once when an answer makes the applicant ineligible (the server says it again on saving). */
  function warnIneligible(q, box) {
    if (!q.must_be) { return; }
    var picked = box.querySelector('input:checked');
    box.querySelector('[data-ap-warning]').hidden = !picked || picked.value === q.must_be;
  }

  function showAgreement(agreement) {
    var holder = $('[data-ap-agreement]');
    if (holder && agreement) { holder.textContent = AGREEMENT[agreement.status] || agreement.status; }
  }

  function show(data) {
    state = data;
    var app = data.application;
    showAgreement(data.agreement);
    var outcome = $('[data-ap-outcome]');
    if (!outcome) { return; }
    outcome.textContent = '';
    if (!app) { return; }
    var text = NAMES[app.status] || app.status;
    if (app.status === 'waitlisted' && app.waitlist_position) {
      text += ' (' + t.format(t.gettext('position {n}'), { n: app.waitlist_position }) + ')';
    }
    outcome.appendChild(B.el('p', { className: 'bap-outcome-status', dir: 'auto' }, [text]));
    if (app.status === 'selected' && app.offer_expires) {
      outcome.appendChild(B.el('p', {}, [t.format(t.gettext('Please answer before {when}.'), { when: when(app.offer_expires) })]));
    }
    if (app.message) { outcome.appendChild(B.el('p', { className: 'bap-message', dir: 'auto' }, [app.message])); }
    (data.questions || []).forEach(function (q) {
      var box = root.querySelector('[data-ap-question="' + q.id + '"]');
      if (!box) { return; }
      var value = app.answers[q.id];
      if (q.kind === 'choice' || q.kind === 'yes_no') {
        box.querySelectorAll('input').forEach(function (input) { input.checked = input.value === value; });
      } else if (q.kind !== 'file' && value !== undefined) {
        box.querySelector('input, textarea').value = value;
      } else if (q.kind === 'file') {
        var file = (app.files || []).filter(function (f) { return f.question === q.id; })[0];
        var label = box.querySelector('[data-ap-file]');
        if (label) { label.textContent = file ? t.format(t.gettext('Attached: {name}'), { name: file.name }) : ''; }
      }
      box.querySelector('[data-ap-warning]').hidden = (app.disqualified || []).indexOf(q.id) < 0;
    });
    var offer = $('[data-ap-offer]');
    if (offer) { offer.hidden = app.status !== 'selected'; }
  }

  var REFRESH_AFTER_REFUSAL = ['accept_offer', 'decline_offer', 'withdraw'];
  /* After a refusal (409: the offer lapsed, staff decided meanwhile…) show what is true now, keeping the error said. */
  function refresh() {
    return B.call(runtime, element, 'get_state', {}).then(function (result) { if (result.ok) { show(result.data); } });
  }

  function act(handler, body, message) {
    return B.call(runtime, element, handler, body || {}).then(function (result) {
      if (!result.ok) {
        fail(result);
        if (result.status === 409 && REFRESH_AFTER_REFUSAL.indexOf(handler) >= 0) { refresh(); }  // never overwrite typed answers
        return;
      }
      show(result.data);
      B.announce(root, message || t.gettext('Saved.'));
    });
  }

  function version() { return state.application ? state.application.version : 0; }

  if ($('[data-ap-form]')) {
    $('[data-ap-save]').addEventListener('click', function () {
      act('save_draft', { answers: answers(), version: version() }, t.gettext('Draft saved.'));
    });
    $('[data-ap-submit]').addEventListener('click', function () {
      act('submit', { answers: answers(), version: version() }, t.gettext('Your application is submitted.'));
    });
    $('[data-ap-withdraw]').addEventListener('click', function () { act('withdraw', {}, t.gettext('Your application is withdrawn.')); });
    $('[data-ap-accept]').addEventListener('click', function () { act('accept_offer', {}, t.gettext('You accepted the place.')); });
    $('[data-ap-decline]').addEventListener('click', function () { act('decline_offer', {}, t.gettext('You declined the place.')); });
    (state.questions || []).forEach(function (q) {
      var box = root.querySelector('[data-ap-question="' + q.id + '"]');
      if (box && q.must_be) { box.addEventListener('change', function () { warnIneligible(q, box); }); }
    });
    root.querySelectorAll('[data-ap-form] input[type="file"]').forEach(function (input) {
      input.addEventListener('change', function () {
        if (!input.files.length) { return; }
        var form = new FormData();
        form.append('question', input.closest('[data-ap-question]').getAttribute('data-ap-question'));
        form.append('file', input.files[0]);
        B.upload(runtime, element, 'upload_file', form).then(function (result) {
          if (!result.ok) { fail(result); return; }
          show(result.data.state);
          B.announce(root, t.gettext('Saved.'));
        });
      });
    });
    show(state);
  } else {
    showAgreement(state.agreement);
  }

  if (!args.staff || !$('[data-ap-staff]')) { return; }

  /* Staff: the table (filter, search, sort, pager), one applicant with the review form, bulk decisions. */
  var STAFF_NAMES = { draft: t.gettext('Draft'), submitted: t.gettext('Submitted'), withdrawn: t.gettext('Withdrawn'),
    selected: t.gettext('Selected'), waitlisted: t.gettext('Waitlisted'), not_selected: t.gettext('Not selected'),
    accepted: t.gettext('Accepted'), declined: t.gettext('Declined'), expired: t.gettext('Offer expired') };
  var query = { page: 1, page_size: 25, status: 'all', search: '', sort: 'submitted' };
  var questions = args.state.questions || [];
  var criteria = args.criteria || [];
  var picked = [];  // user ids in the order staff chose them: the waitlist follows this order
  var staffError = $('[data-ap-staff-error]');
  var detail = $('[data-ap-detail]');
  var opened = null;  // the applicant shown, so that closing returns focus to their row

  function staffFail(result) {
    staffError.textContent = B.errorMessage(result, t);
    staffError.hidden = false;
  }
  function staffOk(message) {
    staffError.textContent = '';
    staffError.hidden = true;
    B.announce(root, message);
  }
  function score(value) { return value === null || value === undefined ? '–' : String(value); }
  function answerText(q, value) {
    if (value === undefined || value === null || value === '') { return '–'; }
    if (q.kind === 'yes_no') { return value === 'yes' ? t.gettext('Yes') : t.gettext('No'); }
    if (q.kind === 'choice') {
      var choice = (q.choices || []).filter(function (c) { return c.value === value; })[0];
      return choice ? choice.label : String(value);
    }
    return String(value);
  }

  function updatePicked() {
    var count = picked.length;
    $('[data-ap-picked]').textContent = t.format(t.gettext('{n} selected for a decision'), { n: count });
  }

  function renderRows(data) {
    var rows = $('[data-ap-rows]');
    rows.textContent = '';
    if (!data.applications.length) {
      rows.appendChild(B.el('tr', {}, [B.el('td', { colspan: '6' }, [t.gettext('No applications match.')])]));
    }
    data.applications.forEach(function (row) {
      var box = B.el('input', { type: 'checkbox', value: String(row.user_id), checked: picked.indexOf(row.user_id) >= 0,
        'aria-label': t.format(t.gettext('Choose {name}'), { name: row.name }) });
      box.addEventListener('change', function () {
        var at = picked.indexOf(row.user_id);
        if (box.checked && at < 0) { picked.push(row.user_id); } else if (!box.checked && at >= 0) { picked.splice(at, 1); }
        updatePicked();
      });
      var open = B.el('button', { type: 'button', className: 'bap-link', dir: 'auto', 'data-ap-open': String(row.user_id) }, [row.name]);
      open.addEventListener('click', function () { openDetail(row.user_id); });
      var status = STAFF_NAMES[row.status] || row.status;
      if (row.waitlist_position) { status += ' (' + t.format(t.gettext('position {n}'), { n: row.waitlist_position }) + ')'; }
      rows.appendChild(B.el('tr', { 'data-ap-row': String(row.user_id) }, [
        B.el('td', {}, [box]),
        B.el('th', { scope: 'row' }, [open]),
        B.el('td', { 'data-ap-cell': 'status' }, [status]),
        B.el('td', {}, [row.eligible ? t.gettext('Yes') : t.gettext('No')]),
        B.el('td', {}, [score(row.average) + ' (' + t.format(t.gettext('{n} reviews'), { n: row.reviews }) + ')']),
        B.el('td', {}, [score(row.my_total)])
      ]));
    });
    var pages = Math.max(1, Math.ceil(data.total / query.page_size));
    $('[data-ap-page]').textContent = t.format(t.gettext('Page {page} of {pages} ({total} applications)'),
      { page: data.page, pages: pages, total: data.total });
    $('[data-ap-prev]').disabled = data.page <= 1;
    $('[data-ap-next]').disabled = data.page >= pages;
    $('[data-ap-places]').textContent = data.places_left === null ? t.gettext('No limit on places.') :
      t.format(t.gettext('Places left: {n} of {places}'), { n: data.places_left, places: data.places });
  }

  function load() {
    return B.call(runtime, element, 'list_applications', query).then(function (result) {
      if (!result.ok) { staffFail(result); return; }
      renderRows(result.data);
    });
  }

  function openDetail(userId) {
    opened = userId;
    B.call(runtime, element, 'get_application', { user_id: userId }).then(function (result) {
      if (!result.ok) { staffFail(result); return; }
      showDetail(result.data);
    });
  }

  function showDetail(d) {
    var body = detail.querySelector('[data-ap-detail-body]');
    body.textContent = '';
    detail.querySelector('[data-ap-detail-title]').textContent = d.name;
    var status = STAFF_NAMES[d.status] || d.status;
    body.appendChild(B.el('p', {}, [d.email + ' · ' + status + ' · ' +
      (d.eligible ? t.gettext('Eligible') : t.gettext('Not eligible'))]));
    var list = B.el('dl', { className: 'bap-answers' });
    questions.forEach(function (q) {
      if (q.kind === 'file') { return; }
      list.appendChild(B.el('dt', { dir: 'auto' }, [q.label]));
      list.appendChild(B.el('dd', { dir: 'auto' }, [answerText(q, d.answers[q.id])]));
    });
    body.appendChild(list);
    if (d.files.length) {
      body.appendChild(B.el('ul', {}, d.files.map(function (f) {
        return B.el('li', {}, [B.el('a', { href: f.url, dir: 'auto' }, [f.name])]);
      })));
    }
    body.appendChild(B.el('p', { 'data-ap-average': '' }, [t.format(t.gettext('Average score: {average} ({n} reviews)'),
      { average: score(d.average), n: d.reviews })]));

    var mine = d.my_review || { scores: {}, note: '' };
    var form = B.el('form', { className: 'bap-review', 'data-ap-review': '' });
    form.appendChild(B.el('h4', {}, [t.gettext('Your review')]));
    criteria.forEach(function (c) {
      var id = root.id + '-score-' + c.id;
      form.appendChild(B.el('p', {}, [
        B.el('label', { for: id, dir: 'auto' }, [t.format(t.gettext('{label} (0 to {points})'), { label: c.label, points: c.points })]),
        ' ',
        B.el('input', { id: id, type: 'number', min: '0', max: String(c.points), step: '1', required: true,
          'data-ap-score': c.id, value: mine.scores[c.id] === undefined ? '' : String(mine.scores[c.id]) })
      ]));
    });
    var noteId = root.id + '-note';
    var note = B.el('textarea', { id: noteId, rows: '3', dir: 'auto', maxlength: '5000' });
    note.value = mine.note || '';
    form.appendChild(B.el('p', {}, [B.el('label', { for: noteId }, [t.gettext('Note')]), note]));
    form.appendChild(B.el('button', { type: 'submit', className: 'blended-button blended-primary' }, [t.gettext('Save my review')]));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var scores = {};
      form.querySelectorAll('[data-ap-score]').forEach(function (input) {
        if (input.value !== '') { scores[input.getAttribute('data-ap-score')] = Number(input.value); }
      });
      B.call(runtime, element, 'review', { user_id: d.user_id, scores: scores, note: note.value }).then(function (result) {
        if (!result.ok) { staffFail(result); return; }
        detail.querySelector('[data-ap-average]').textContent = t.format(t.gettext('Average score: {average} ({n} reviews)'),
          { average: score(result.data.average), n: result.data.reviews });
        staffOk(t.gettext('Your review is saved.'));
        load();
      });
    });
    body.appendChild(form);
    detail.hidden = false;
    detail.focus();
  }

  $('[data-ap-close]').addEventListener('click', function () {
    detail.hidden = true;
    var opener = root.querySelector('[data-ap-rows] [data-ap-open="' + opened + '"]') ||
      root.querySelector('[data-ap-rows] [data-ap-open]');
    if (opener) { opener.focus(); }
  });

  root.querySelectorAll('[data-ap-decide]').forEach(function (button) {
    button.addEventListener('click', function () {
      var ids = picked.slice();
      if (!ids.length) { staffFail({ data: { error: { message: t.gettext('Choose at least one applicant first.') } } }); return; }
      B.call(runtime, element, 'decide', { user_ids: ids, decision: button.getAttribute('data-ap-decide'),
        message: $('[data-ap-message]').value }).then(function (result) {
        if (!result.ok) { staffFail(result); return; }
        picked = [];
        updatePicked();
        $('[data-ap-message]').value = '';
        staffOk(t.format(t.gettext('Decision saved for {n} applicants.'), { n: ids.length }));
        load();
      });
    });
  });

  var typing = null;
  $('[data-ap-search]').addEventListener('input', function (event) {
    clearTimeout(typing);
    typing = setTimeout(function () { query.search = event.target.value.trim(); query.page = 1; load(); }, 300);
  });
  $('[data-ap-filter]').addEventListener('change', function (event) { query.status = event.target.value; query.page = 1; load(); });
  $('[data-ap-sort]').addEventListener('change', function (event) { query.sort = event.target.value; query.page = 1; load(); });
  $('[data-ap-prev]').addEventListener('click', function () { query.page = Math.max(1, query.page - 1); load(); });
  $('[data-ap-next]').addEventListener('click', function () { query.page += 1; load(); });
  $('[data-ap-export]').href = B.handlerUrl(runtime, element, 'export_applications');
  $('[data-ap-files]').href = B.handlerUrl(runtime, element, 'download_files');
  updatePicked();
  load();
}
