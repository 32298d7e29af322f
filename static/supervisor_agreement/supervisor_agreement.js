/* blended_supervisor_agreement: the learner asks a supervisor (staff's list: supervisor_agreement_staff.js).
   Plain ES2017; DOM built with el() (textContent only); scoped to `element`. */
function BlendedSupervisorAgreement(runtime, element, args) {
  'use strict';
  const { $, el, gettext, format, say, call, when } = window.BlendedXBlocks.block(runtime, element, args);
  const root = $('[data-sa-root]') || element;
  const LABELS = {
    not_requested: gettext('Not requested'), pending: gettext('Pending'),
    awaiting_staff: gettext('Approved, awaiting staff confirmation'), approved: gettext('Approved'),
    declined: gettext('Declined'), expired: gettext('Expired')
  };
  const badge = (status) => el('span', { className: 'blended-badge bsa-' + status, text: LABELS[status] || status });

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
  return { badge, LABELS };
}
