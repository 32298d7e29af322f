/* blended_supervisor_agreement, staff's part (loaded for staff only, after supervisor_agreement.js): every
   learner's status, confirmations, paper forms, reminders. Plain ES2017; scoped to `element`. */
function BlendedSupervisorAgreementStaff(runtime, element, args) {
  'use strict';
  const { badge, LABELS } = BlendedSupervisorAgreement(runtime, element, args);
  const { $, el, gettext, format, say, call, pager, url, when, items } = window.BlendedXBlocks.block(runtime, element, args);
  const day = (iso) => {
    try { return new Intl.DateTimeFormat(args.language, { dateStyle: 'medium' }).format(new Date(iso)); } catch (e) { return iso.slice(0, 10); }
  };
  const FLAGS = { same_domain: gettext('Check: same e-mail domain as the learner'), free_mail: gettext('Check: free-mail address') };
  /* Why staff may want to check a supervisor, shown wherever they decide (the row, the paper form). */
  const flagBadges = (entry) => (entry.supervisor_email_flags || []).map((flag) => el('span', { className: 'blended-badge bsa-flag', text: FLAGS[flag] || flag }));
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
