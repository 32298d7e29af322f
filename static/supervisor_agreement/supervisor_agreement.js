/* blended_supervisor_agreement: the learner asks a supervisor; staff see every learner's status.
   Plain ES2017; DOM built with el() (textContent only); scoped to `element`. */
function BlendedSupervisorAgreement(runtime, element, args) {
  'use strict';
  const { $, el, gettext, format, say, call, pager, url, when, items } = window.BlendedXBlocks.block(runtime, element, args);
  const root = $('[data-sa-root]') || element;
  const day = (iso) => {
    try { return new Intl.DateTimeFormat(args.language, { dateStyle: 'medium' }).format(new Date(iso)); } catch (e) { return iso.slice(0, 10); }
  };
  const LABELS = {
    not_requested: gettext('Not requested'), pending: gettext('Pending'),
    awaiting_staff: gettext('Approved, awaiting staff confirmation'), approved: gettext('Approved'),
    declined: gettext('Declined'), expired: gettext('Expired')
  };
  const FLAGS = { same_domain: gettext('Check: same e-mail domain as the learner'), free_mail: gettext('Check: free-mail address') };
  const badge = (status) => el('span', { className: 'blended-badge bsa-' + status, text: LABELS[status] || status });
  /* Why staff may want to check a supervisor, shown wherever they decide (the row, the paper form). */
  const flagBadges = (entry) => (entry.supervisor_email_flags || []).map((flag) => el('span', { className: 'blended-badge bsa-flag', text: FLAGS[flag] || flag }));

  /* Learner ------------------------------------------------------------------------------- */
  const form = $('[data-sa-form]');

  function describe(state) {
    const r = state.request, d = state.decision, lines = [];
    if (state.status === 'not_requested') {
      lines.push(gettext('You have not asked your supervisor yet.'));
    } else if (state.status === 'pending' && r) {
      lines.push(format(gettext('Waiting for {name} ({email}, {organisation}). Sent {date}.'),
        { name: r.supervisor_name, email: r.supervisor_email, organisation: r.organisation, date: when(r.last_sent_at) }));
      lines.push(format(gettext('The link works until {date}.'), { date: when(r.expires_at) }));
    } else if (state.status === 'expired' && r) {
      lines.push(format(gettext('The link sent to {name} expired on {date}. Send it again or ask someone else.'),
        { name: r.supervisor_name, date: when(r.expires_at) }));
    } else if (d) {
      const who = d.decided_by === 'instructor' ? gettext('{name} (instructor, paper form)') : '{name}';
      lines.push(format(state.status === 'declined' ? gettext('Declined by {who} on {date}.') : gettext('Approved by {who} on {date}.'),
        { who: format(who, { name: d.name }), date: when(d.decided_at) }));
      if (state.status === 'awaiting_staff') {
        lines.push(gettext('The course staff will confirm this approval; it counts once they do.'));
      }
      if (d.reason) { lines.push(format(gettext('Reason: {reason}'), { reason: d.reason })); }
    }
    return lines;
  }

  function render(state, focus) {
    const box = $('[data-sa-state]');
    if (!box || !state) { return; }
    box.textContent = '';
    box.append(el('p', {}, [gettext('Status:') + ' ', badge(state.status)]), ...describe(state).map((line) => el('p', { text: line })));
    $('[data-sa-actions]').hidden = !state.can_resend;
    $('[data-sa-resend]').disabled = state.mails_left_today < 1;
    form.hidden = !(state.can_request && !state.can_resend);
    if (focus) { box.focus(); }
  }

  async function act(handler, body, success, button) {
    const state = await call(handler, body, { button });
    if (!state) { return; }
    render(state, true);
    say(success);
  }

  if (form) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = {};
      ['name', 'email', 'organisation', 'message'].forEach((key) => { data[key] = form.elements[key].value; });
      act('request_approval', data, gettext('Your request was sent to your supervisor.'), event.submitter);
    });
    $('[data-sa-resend]').addEventListener('click', (event) => {
      act('resend', {}, gettext('The e-mail was sent again with a new link; earlier links no longer work.'), event.currentTarget);
    });
    $('[data-sa-cancel]').addEventListener('click', (event) => {
      act('cancel_request', {}, gettext('Your request was withdrawn; its link no longer works.'), event.currentTarget);
    });
    $('[data-sa-change]').addEventListener('click', () => { form.hidden = false; form.querySelector('input').focus(); });
    render(JSON.parse(root.getAttribute('data-sa-state-json') || 'null'), false);
  }

  /* Instructor ------------------------------------------------------------------------------ */
  if (!args.staff) { return; }
  const filter = $('[data-sa-filter]'), record = $('[data-sa-record]');
  let page = 1, recordFor = null;
  const pages = pager($('.bsa-pager'), (to) => { page = to; return load(); });
  $('[data-sa-export]').href = url('export_agreements');

  function rowFor(entry) {
    const name = entry.full_name || entry.username;
    const supervisor = [entry.supervisor_name ? entry.supervisor_name + ' (' + entry.organisation + ')' : ''];
    flagBadges(entry).forEach((flag) => supervisor.push(' ', flag));
    const status = [badge(entry.status)];
    if (entry.status === 'pending' && entry.requested_at) {
      status.push(' ' + format(gettext('since {date}'), { date: day(entry.requested_at) }));
    }
    const actions = [];
    if (entry.status === 'awaiting_staff') {
      actions.push(el('button', { type: 'button', onclick: (event) => confirmFor(entry, event.currentTarget),
        'aria-label': format(gettext('Confirm the approval of {name}'), { name }) }, [gettext('Confirm')]));
    }
    actions.push(el('button', { type: 'button', className: 'blended-secondary', onclick: () => openRecord(entry),
      'aria-label': format(gettext('Record a paper decision for {name}'), { name }) }, [gettext('Record paper decision')]));
    if (entry.status === 'pending' || entry.status === 'expired') {
      actions.push(el('button', { type: 'button', className: 'blended-secondary', onclick: (event) => resendFor(entry, event.currentTarget),
        'aria-label': format(gettext('Send the request of {name} again'), { name }) }, [gettext('Resend')]));
    }
    return el('tr', {}, [
      el('td', { text: name }), el('td', {}, status), el('td', {}, supervisor),
      el('td', { text: entry.decider_name ? entry.decider_name + ' — ' + when(entry.decided_at) : '' }),
      el('td', { className: 'bsa-row-actions' }, actions)
    ]);
  }

  async function load() {
    const data = await call('list_agreements', filter.value ? { page, page_size: 25, status: filter.value } : { page, page_size: 25 });
    if (!data) { return; }
    const rows = $('[data-sa-rows]'), c = data.counts;
    rows.textContent = '';
    rows.append(...items(data, 'agreements').map(rowFor));
    $('[data-sa-counts]').textContent = Object.keys(LABELS).filter((key) => key !== 'awaiting_staff' || c[key])
      .map((key) => LABELS[key] + ': ' + c[key]).join(' · ');
    pages.show(data);
  }

  function openRecord(entry) {
    recordFor = entry;
    record.hidden = false;
    const heading = $('[data-sa-record-heading]'), flags = $('[data-sa-record-flags]');
    heading.textContent = format(gettext('Record a paper decision for {name}'), { name: entry.full_name || entry.username });
    flags.textContent = '';
    flagBadges(entry).forEach((flag) => flags.append(flag, ' '));
    flags.hidden = !flags.childNodes.length;
    heading.focus();
  }

  async function confirmFor(entry, button) {
    if (await call('confirm_approval', { user_id: entry.user_id }, { button })) {
      say(format(gettext('The approval of {name} is confirmed.'), { name: entry.full_name || entry.username }));
      load();
    }
  }

  async function resendFor(entry, button) {
    if (await call('resend', { user_id: entry.user_id }, { button })) {
      say(gettext('The e-mail was sent again with a new link; earlier links no longer work.'));
      load();
    }
  }

  record.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!recordFor) { return; }
    const body = { user_id: recordFor.user_id, status: record.elements.status.value, note: record.elements.note.value,
      expected_status: recordFor.status };
    if (await call('record_decision', body, { button: event.submitter })) {
      record.hidden = true;
      record.elements.note.value = '';
      say(gettext('The decision was recorded.'));
      load();
    }
  });
  $('[data-sa-record-close]').addEventListener('click', () => { record.hidden = true; });
  filter.addEventListener('change', () => { page = 1; load(); });
  load();
}
