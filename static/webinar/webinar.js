/* blended_webinar: the learner's place, the instructor's roster and the Studio editor.
   Plain ES2017; DOM built with el() (textContent), never HTML strings; scoped to `element`. */
function BlendedWebinar(runtime, element, args) {
  'use strict';
  const { $, el, gettext, format, say, call, upload, pager, url, when, zone, explain } = window.BlendedXBlocks.block(runtime, element, args);
  const L = args.labels || {}, box = $('[data-bw-learner]');
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

  if (!$('[data-bw-staff]')) { return; }
  const filter = $('[data-bw-filter]'), rows = $('[data-bw-rows]'), marks = ['unmarked', 'present', 'late', 'excused', 'absent'];
  let page = 1, edits = {};
  const pages = pager($('.bw-pages'), (to) => { page = to; return loadRoster(); });

  async function loadRoster() {
    const d = await call('roster', { page, page_size: 50, status: filter.value || null });
    if (!d) { return; }
    rows.textContent = '';
    d.learners.forEach((r) => {
      const name = r.full_name || r.username;
      const select = el('select', { 'aria-label': format(gettext('Attendance of {name}'), { name }), 'data-user': r.user_id,
        onchange: () => { edits[r.user_id] = select.value; } }, marks.map((m) => el('option', { value: m, text: L[m] || m })));
      select.value = edits[r.user_id] || r.attendance;
      rows.append(el('tr', {}, [el('th', { scope: 'row', text: name }),
        el('td', { text: (L[r.registration] || r.registration) + (r.waitlist_position ? ' #' + r.waitlist_position : '') }),
        el('td', { text: r.language_name }), el('td', {}, [select])]));
    });
    const c = d.counts;
    $('[data-bw-counts]').textContent = [L.registered + ': ' + c.registered, L.waitlisted + ': ' + c.waitlisted,
      L.cancelled + ': ' + c.cancelled].concat(marks.map((m) => L[m] + ': ' + c.attendance[m])).join(' · ');
    $('[data-bw-pending]').textContent = d.scores_pending_text;
    $('[data-bw-pending]').hidden = !d.scores_pending;
    pages.show(d);
  }

  filter.addEventListener('change', () => { page = 1; loadRoster(); });
  $('[data-bw-save]').addEventListener('click', async (event) => {
    const records = Object.keys(edits).map((id) => ({ user_id: id, attendance: edits[id] }));
    const d = await call('set_attendance', { records }, { button: event.currentTarget });
    if (!d) { return; }
    edits = {};
    say(format(gettext('Attendance saved ({count} changed).'), { count: d.updated }));
    loadRoster();
  });
  $('[data-bw-code]').addEventListener('click', async (event) => {
    const d = await call('checkin_code', {}, { button: event.currentTarget });
    if (d) { $('[data-bw-code-out]').textContent = d.code; }
  });
  $('[data-bw-export]').href = url('export_roster');
  $('[data-bw-import]').addEventListener('submit', async (event) => {
    event.preventDefault();
    const d = await upload('import_attendance', new FormData(event.target), { button: event.submitter, refused: (error, result) => {
      const lines = (error.unmatched || error.rows || []).map((row) => row.line + ': ' + row.value);
      if (lines.length) { say(explain(result) + ' ' + lines.join(', '), true); }
      return lines.length > 0;
    } });
    if (!d) { return; }
    say(format(gettext('Attendance imported ({count} changed).'), { count: d.updated }));
    loadRoster();
  });
  loadRoster();
}

function BlendedWebinarStudio(runtime, element, args) {
  'use strict';
  const { $, save, cancel } = window.BlendedXBlocks.block(runtime, element, args);
  const form = $('[data-bw-studio]'), numbers = ['duration', 'capacity', 'join_opens', 'late_after', 'weight', 'late_credit', 'excused_credit'];

  form.querySelector('[data-bw-add]').addEventListener('click', (event) => {
    const rows = form.querySelectorAll('.bw-speaker'), copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll('input').forEach((input) => { input.value = ''; });
    event.target.parentNode.insertBefore(copy, event.target);
    copy.querySelector('input').focus();
  });
  form.querySelector('[data-bw-cancel]').addEventListener('click', cancel);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = {}, f = form.elements;
    ['display_name', 'start', 'timezone', 'registration_closes', 'join_url', 'languages', 'recording_url', 'description']
      .forEach((name) => { data[name] = f[name].value; });
    numbers.forEach((name) => { data[name] = Number(f[name].value || '0'); });
    data.waitlist = f.waitlist.checked;
    data.checkin = f.checkin.checked;
    data.speakers = Array.from(form.querySelectorAll('.bw-speaker'), (row) => {
      const inputs = row.querySelectorAll('input');
      return { name: inputs[0].value, affiliation: inputs[1].value };
    }).filter((s) => s.name.trim());
    save('studio_submit', data, { button: event.submitter });
  });
}
