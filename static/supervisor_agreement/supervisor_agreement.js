/* blended_supervisor_agreement: the learner asks a supervisor; staff see every learner's status.
   Plain ES2017; DOM built with BlendedXBlocks.el (textContent only); scoped to `element`. */
function BlendedSupervisorAgreement(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks;
  var t = B.i18n(args.i18n);
  var root = element.querySelector('[data-sa-root]') || element;
  var $ = function (selector) { return root.querySelector(selector); };
  var lang = args.language;
  var when = function (iso) { return B.formatDateTime(iso, B.browserTimeZone(), lang); };
  var day = function (iso) {
    try { return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(iso)); } catch (e) { return iso.slice(0, 10); }
  };
  var LABELS = {
    not_requested: t.gettext('Not requested'), pending: t.gettext('Pending'),
    awaiting_staff: t.gettext('Approved, awaiting staff confirmation'), approved: t.gettext('Approved'),
    declined: t.gettext('Declined'), expired: t.gettext('Expired')
  };

  var FLAGS = {
    same_domain: t.gettext('Check: same e-mail domain as the learner'), free_mail: t.gettext('Check: free-mail address')
  };

  function badge(status) { return B.el('span', { className: 'blended-badge bsa-' + status, text: LABELS[status] || status }); }

  /* Why staff may want to check a supervisor, shown wherever they decide (the row, the paper form). */
  function flagBadges(entry) {
    return (entry.supervisor_email_flags || []).map(function (flag) {
      return B.el('span', { className: 'blended-badge bsa-flag', text: FLAGS[flag] || flag });
    });
  }

  function fail(result) { B.announce(root, B.errorMessage(result, t), true); }

  /* Learner ------------------------------------------------------------------------------- */
  var form = $('[data-sa-form]');
  var busy = false;

  function describe(state) {
    var r = state.request, d = state.decision, lines = [];
    if (state.status === 'not_requested') {
      lines.push(t.gettext('You have not asked your supervisor yet.'));
    } else if (state.status === 'pending' && r) {
      lines.push(t.format(t.gettext('Waiting for {name} ({email}, {organisation}). Sent {date}.'),
        { name: r.supervisor_name, email: r.supervisor_email, organisation: r.organisation, date: when(r.last_sent_at) }));
      lines.push(t.format(t.gettext('The link works until {date}.'), { date: when(r.expires_at) }));
    } else if (state.status === 'expired' && r) {
      lines.push(t.format(t.gettext('The link sent to {name} expired on {date}. Send it again or ask someone else.'),
        { name: r.supervisor_name, date: when(r.expires_at) }));
    } else if (d) {
      var who = d.decided_by === 'instructor' ? t.gettext('{name} (instructor, paper form)') : '{name}';
      lines.push(t.format(state.status === 'declined' ? t.gettext('Declined by {who} on {date}.') : t.gettext('Approved by {who} on {date}.'),
        { who: t.format(who, { name: d.name }), date: when(d.decided_at) }));
      if (state.status === 'awaiting_staff') {
        lines.push(t.gettext('The course staff will confirm this approval; it counts once they do.'));
      }
      if (d.reason) { lines.push(t.format(t.gettext('Reason: {reason}'), { reason: d.reason })); }
    }
    return lines;
  }

  function showForm(show) {
    form.hidden = !show;
    if (show) { form.querySelector('input').focus(); }
  }

  function render(state, focus) {
    var box = $('[data-sa-state]');
    if (!box || !state) { return; }
    box.textContent = '';
    box.appendChild(B.el('p', {}, [t.gettext('Status:') + ' ', badge(state.status)]));
    describe(state).forEach(function (line) { box.appendChild(B.el('p', { text: line })); });
    $('[data-sa-actions]').hidden = !state.can_resend;
    $('[data-sa-resend]').disabled = state.mails_left_today < 1;
    form.hidden = !(state.can_request && !state.can_resend);
    if (focus) { box.focus(); }
  }

  function act(handler, body, success) {
    if (busy) { return; }
    busy = true;
    B.call(runtime, element, handler, body).then(function (result) {
      busy = false;
      if (!result.ok) { fail(result); return; }
      render(result.data, true);
      B.announce(root, success, false);
    });
  }

  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var data = {};
      ['name', 'email', 'organisation', 'message'].forEach(function (key) { data[key] = form.elements[key].value; });
      act('request_approval', data, t.gettext('Your request was sent to your supervisor.'));
    });
    $('[data-sa-resend]').addEventListener('click', function () {
      act('resend', {}, t.gettext('The e-mail was sent again with a new link; earlier links no longer work.'));
    });
    $('[data-sa-cancel]').addEventListener('click', function () {
      act('cancel_request', {}, t.gettext('Your request was withdrawn; its link no longer works.'));
    });
    $('[data-sa-change]').addEventListener('click', function () { showForm(true); });
    render(JSON.parse(root.getAttribute('data-sa-state-json') || 'null'), false);
  }

  /* Instructor ------------------------------------------------------------------------------ */
  if (!args.staff) { return; }
  var page = 1, numPages = 1, recordFor = null;
  var filter = $('[data-sa-filter]');
  var record = $('[data-sa-record]');
  $('[data-sa-export]').href = B.handlerUrl(runtime, element, 'export_agreements');

  function rowFor(entry) {
    var supervisor = [entry.supervisor_name ? entry.supervisor_name + ' (' + entry.organisation + ')' : ''];
    flagBadges(entry).forEach(function (flag) { supervisor.push(' ', flag); });
    var status = [badge(entry.status)];
    if (entry.status === 'pending' && entry.requested_at) {
      status.push(' ' + t.format(t.gettext('since {date}'), { date: day(entry.requested_at) }));
    }
    var name = entry.full_name || entry.username;
    var actions = [];
    if (entry.status === 'awaiting_staff') {
      actions.push(B.el('button', { type: 'button', onclick: function () { confirmFor(entry); },
        'aria-label': t.format(t.gettext('Confirm the approval of {name}'), { name: name }) }, [t.gettext('Confirm')]));
    }
    actions.push(B.el('button', { type: 'button', className: 'blended-secondary', onclick: function () { openRecord(entry); },
      'aria-label': t.format(t.gettext('Record a paper decision for {name}'), { name: name }) }, [t.gettext('Record paper decision')]));
    if (entry.status === 'pending' || entry.status === 'expired') {
      actions.push(B.el('button', { type: 'button', className: 'blended-secondary', onclick: function () { resendFor(entry); },
        'aria-label': t.format(t.gettext('Send the request of {name} again'), { name: name }) }, [t.gettext('Resend')]));
    }
    return B.el('tr', {}, [
      B.el('td', { text: name }), B.el('td', {}, status), B.el('td', {}, supervisor),
      B.el('td', { text: entry.decider_name ? entry.decider_name + ' — ' + when(entry.decided_at) : '' }),
      B.el('td', { className: 'bsa-row-actions' }, actions)
    ]);
  }

  function load() {
    var body = { page: page, page_size: 25 };
    if (filter.value) { body.status = filter.value; }
    B.call(runtime, element, 'list_agreements', body).then(function (result) {
      if (!result.ok) { fail(result); return; }
      var rows = $('[data-sa-rows]');
      rows.textContent = '';
      result.data.agreements.forEach(function (entry) { rows.appendChild(rowFor(entry)); });
      numPages = result.data.num_pages;
      var c = result.data.counts;
      $('[data-sa-counts]').textContent = Object.keys(LABELS).filter(function (key) { return key !== 'awaiting_staff' || c[key]; })
        .map(function (key) { return LABELS[key] + ': ' + c[key]; }).join(' · ');
      $('[data-sa-page]').textContent = t.format(t.gettext('Page {page} of {pages}'), { page: page, pages: numPages });
      $('[data-sa-prev]').disabled = page <= 1;
      $('[data-sa-next]').disabled = page >= numPages;
    });
  }

  function openRecord(entry) {
    recordFor = entry;
    record.hidden = false;
    var heading = $('[data-sa-record-heading]');
    heading.textContent = t.format(t.gettext('Record a paper decision for {name}'), { name: entry.full_name || entry.username });
    var flags = $('[data-sa-record-flags]');
    flags.textContent = '';
    flagBadges(entry).forEach(function (flag) { flags.append(flag, ' '); });
    flags.hidden = !flags.childNodes.length;
    heading.focus();
  }

  function confirmFor(entry) {
    B.call(runtime, element, 'confirm_approval', { user_id: entry.user_id }).then(function (result) {
      if (!result.ok) { fail(result); return; }
      B.announce(root, t.format(t.gettext('The approval of {name} is confirmed.'), { name: entry.full_name || entry.username }), false);
      load();
    });
  }

  function resendFor(entry) {
    B.call(runtime, element, 'resend', { user_id: entry.user_id }).then(function (result) {
      if (!result.ok) { fail(result); return; }
      B.announce(root, t.gettext('The e-mail was sent again with a new link; earlier links no longer work.'), false);
      load();
    });
  }

  record.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!recordFor) { return; }
    var body = { user_id: recordFor.user_id, status: record.elements.status.value, note: record.elements.note.value,
      expected_status: recordFor.status };
    B.call(runtime, element, 'record_decision', body).then(function (result) {
      if (!result.ok) { fail(result); return; }
      record.hidden = true;
      record.elements.note.value = '';
      B.announce(root, t.gettext('The decision was recorded.'), false);
      load();
    });
  });
  $('[data-sa-record-close]').addEventListener('click', function () { record.hidden = true; });
  filter.addEventListener('change', function () { page = 1; load(); });
  $('[data-sa-prev]').addEventListener('click', function () { if (page > 1) { page -= 1; load(); } });
  $('[data-sa-next]').addEventListener('click', function () { if (page < numPages) { page += 1; load(); } });
  load();
}
