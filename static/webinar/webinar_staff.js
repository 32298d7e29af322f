/* blended_webinar, staff's part (loaded for staff only, after webinar.js): the roster, marks and imports.
   Plain ES2017; DOM built with el() (textContent), never HTML strings; scoped to `element`. */
function BlendedWebinarStaff(runtime, element, args) {
  'use strict';
  BlendedWebinar(runtime, element, args);
  const { $, el, gettext, format, say, call, upload, pager, url, explain } = window.BlendedXBlocks.block(runtime, element, args);
  const L = args.labels || {};
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
