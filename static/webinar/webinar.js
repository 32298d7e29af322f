/* blended_webinar, learner's part: the learner's place (register, waitlist, check in, recording).
   Plain ES2017; DOM built with el() (textContent), never HTML strings; scoped to `element`. */
function BlendedWebinar(runtime, element, args) {
  'use strict';
  const { $, el, gettext, say, call, url, when, zone } = window.BlendedXBlocks.block(runtime, element, args);
  const box = $('[data-bw-learner]');
  /* The state rides in an escaped attribute: user text never sits inside a <script>. */
  let state = box && JSON.parse(box.getAttribute('data-bw-state'));

  function showLocalTime() {
    const local = $('[data-bw-local]');
    if (!local || !local.hidden || !state || !state.start) { return; }  /* shown by the server from the LMS preference */
    $('[data-bw-local-time]').textContent = when(state.start);
    $('[data-bw-local-zone]').textContent = '(' + zone + ')';
    local.hidden = false;
  }

  async function act(handler, body, button) {
    const data = await call(handler, body, { button });
    if (!data) { return; }
    render(data);
    say(data.messages.status);
    const focus = box.querySelector('[data-bw-focus]');
    if (focus) { focus.focus(); }
  }

  function render(s) {
    state = s;
    const m = s.messages, kids = [m.notice && el('p', { className: 'bw-notice', text: m.notice }), m.seats && el('p', { text: m.seats }),
      el('p', { text: m.status, tabindex: '-1', 'data-bw-focus': true }), m.attendance && el('p', { className: 'bw-attendance', text: m.attendance })];
    let language = null;
    if (s.join_url) {
      kids.push(el('p', {}, [el('a', { className: 'bw-join', href: s.join_url, target: '_blank', rel: 'noopener noreferrer', text: gettext('Join the session') })]));
    }
    if (s.can_register) {
      if (s.languages.length > 1) {
        language = el('select', {}, s.languages.map((l) => el('option', { value: l.code, text: l.name })));
        kids.push(el('p', {}, [el('label', {}, [gettext('Language you will follow') + ' ', language])]));
      }
      const full = s.seats_left !== null && s.seats_left <= 0;
      kids.push(el('button', { type: 'button', 'data-bw-register': true, text: full ? gettext('Join the waitlist') : gettext('Register'),
        onclick: (event) => act('register', language ? { language: language.value } : {}, event.currentTarget) }));
    }
    if (s.can_cancel) {
      kids.push(el('button', { type: 'button', className: 'blended-secondary', text: s.registration === 'waitlisted' ? gettext('Leave the waitlist') : gettext('Cancel my registration'),
        onclick: (event) => act('cancel', {}, event.currentTarget) }));
    }
    if (s.checkin_open) {
      const code = el('input', { name: 'code', maxlength: '16', autocomplete: 'off', required: true });
      const submit = el('button', { type: 'submit', text: gettext('Check in') });
      kids.push(el('form', { className: 'bw-checkin', onsubmit: (event) => { event.preventDefault(); act('check_in', { code: code.value }, submit); } }, [
        el('label', {}, [gettext('Check-in code shown by the facilitator') + ' ', code]), ' ', submit]));
    }
    if (s.recording_url) {
      kids.push(el('p', {}, [el('a', { href: s.recording_url, target: '_blank', rel: 'noopener noreferrer', text: gettext('Watch the recording') })]));
    }
    if (s.start && s.phase !== 'ended') {
      kids.push(el('p', {}, [el('a', { href: url('calendar'), download: '', 'data-bw-calendar': true, text: gettext('Add to my calendar (.ics file)') })]));
    }
    box.textContent = '';
    box.append(...kids.filter(Boolean));
  }

  if (box && state) { render(state); }
  showLocalTime();
}
