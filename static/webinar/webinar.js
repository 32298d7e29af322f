/* blended_webinar: the learner's place, the instructor's roster and the Studio editor.
   Plain ES2017; DOM built with BlendedXBlocks.el (textContent), never HTML strings. */
function BlendedWebinar(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks, t = B.i18n(args.i18n), el = B.el, L = args.labels || {};
  var q = function (selector) { return element.querySelector(selector); };
  var box = q('[data-bw-learner]'), state = box && JSON.parse(box.getAttribute('data-bw-state'));
  /* The state rides in an escaped attribute: user text never sits inside a <script>. */

  function send(handler, body) {
    return B.call(runtime, element, handler, body).then(function (result) {
      if (!result.ok) { B.announce(element, B.errorMessage(result, t), true); return null; }
      return result.data;
    });
  }

  function showLocalTime() {
    var local = q('[data-bw-local]');
    if (!local || !local.hidden || !state || !state.start) { return; }  /* shown by the server from the LMS preference */
    var zone = args.userTimezone || B.browserTimeZone();
    q('[data-bw-local-time]').textContent = B.formatDateTime(state.start, zone, args.language);
    q('[data-bw-local-zone]').textContent = '(' + zone + ')';
    local.hidden = false;
  }

  function act(handler, body) {
    send(handler, body).then(function (data) {
      if (!data) { return; }
      render(data);
      B.announce(element, data.messages.status);
      var focus = box.querySelector('[data-bw-focus]');
      if (focus) { focus.focus(); }
    });
  }

  function render(s) {
    state = s;
    var kids = [s.messages.notice && el('p', { className: 'bw-notice', text: s.messages.notice }), s.messages.seats && el('p', { text: s.messages.seats }), el('p', { text: s.messages.status, tabindex: '-1', 'data-bw-focus': true })];
    var language = null;
    if (s.messages.attendance) { kids.push(el('p', { className: 'bw-attendance', text: s.messages.attendance })); }
    if (s.join_url) {
      kids.push(el('p', {}, [el('a', { className: 'bw-join', href: s.join_url, target: '_blank', rel: 'noopener noreferrer', text: t.gettext('Join the session') })]));
    }
    if (s.can_register) {
      if (s.languages.length > 1) {
        language = el('select', {}, s.languages.map(function (l) { return el('option', { value: l.code, text: l.name }); }));
        kids.push(el('p', {}, [el('label', {}, [t.gettext('Language you will follow') + ' ', language])]));
      }
      var full = s.seats_left !== null && s.seats_left <= 0;
      kids.push(el('button', { type: 'button', 'data-bw-register': true, text: full ? t.gettext('Join the waitlist') : t.gettext('Register'),
        onclick: function () { act('register', language ? { language: language.value } : {}); } }));
    }
    if (s.can_cancel) {
      kids.push(el('button', { type: 'button', className: 'blended-secondary', text: s.registration === 'waitlisted' ? t.gettext('Leave the waitlist') : t.gettext('Cancel my registration'),
        onclick: function () { act('cancel', {}); } }));
    }
    if (s.checkin_open) {
      var code = el('input', { name: 'code', maxlength: '16', autocomplete: 'off', required: true });
      kids.push(el('form', { className: 'bw-checkin', onsubmit: function (event) { event.preventDefault(); act('check_in', { code: code.value }); } }, [
        el('label', {}, [t.gettext('Check-in code shown by the facilitator') + ' ', code]), ' ',
        el('button', { type: 'submit', text: t.gettext('Check in') })]));
    }
    if (s.recording_url) {
      kids.push(el('p', {}, [el('a', { href: s.recording_url, target: '_blank', rel: 'noopener noreferrer', text: t.gettext('Watch the recording') })]));
    }
    if (s.start && s.phase !== 'ended') {
      kids.push(el('p', {}, [el('a', { href: B.handlerUrl(runtime, element, 'calendar'), download: '', 'data-bw-calendar': true, text: t.gettext('Add to my calendar (.ics file)') })]));
    }
    box.textContent = '';
    kids.forEach(function (kid) { if (kid) { box.appendChild(kid); } });
  }

  if (box && state) { render(state); }
  showLocalTime();

  var staff = q('[data-bw-staff]');
  if (!staff) { return; }
  var page = 1, pages = 1, edits = {}, filter = q('[data-bw-filter]'), rows = q('[data-bw-rows]');
  var marks = ['unmarked', 'present', 'late', 'excused', 'absent'];

  function loadRoster() {
    send('roster', { page: page, page_size: 50, status: filter.value || null }).then(function (d) {
      if (!d) { return; }
      pages = Math.max(1, Math.ceil(d.total / d.page_size));
      rows.textContent = '';
      d.learners.forEach(function (r) {
        var name = r.full_name || r.username;
        var select = el('select', { 'aria-label': t.format(t.gettext('Attendance of {name}'), { name: name }), 'data-user': r.user_id,
          onchange: function () { edits[r.user_id] = select.value; } },
        marks.map(function (m) { return el('option', { value: m, text: L[m] || m }); }));
        select.value = edits[r.user_id] || r.attendance;
        rows.appendChild(el('tr', {}, [el('th', { scope: 'row', text: name }),
          el('td', { text: (L[r.registration] || r.registration) + (r.waitlist_position ? ' #' + r.waitlist_position : '') }),
          el('td', { text: r.language_name }), el('td', {}, [select])]));
      });
      var c = d.counts, a = c.attendance;
      q('[data-bw-counts]').textContent = [L.registered + ': ' + c.registered, L.waitlisted + ': ' + c.waitlisted,
        L.cancelled + ': ' + c.cancelled].concat(marks.map(function (m) { return L[m] + ': ' + a[m]; })).join(' · ');
      q('[data-bw-pending]').textContent = d.scores_pending_text;
      q('[data-bw-pending]').hidden = !d.scores_pending;
      q('[data-bw-page]').textContent = t.format(t.gettext('Page {page} of {pages}'), { page: page, pages: pages });
      q('[data-bw-prev]').disabled = page <= 1;
      q('[data-bw-next]').disabled = page >= pages;
    });
  }

  filter.addEventListener('change', function () { page = 1; loadRoster(); });
  q('[data-bw-prev]').addEventListener('click', function () { if (page > 1) { page -= 1; loadRoster(); } });
  q('[data-bw-next]').addEventListener('click', function () { if (page < pages) { page += 1; loadRoster(); } });
  q('[data-bw-save]').addEventListener('click', function () {
    var records = Object.keys(edits).map(function (id) { return { user_id: id, attendance: edits[id] }; });
    send('set_attendance', { records: records }).then(function (d) {
      if (!d) { return; }
      edits = {};
      B.announce(element, t.format(t.gettext('Attendance saved ({count} changed).'), { count: d.updated }));
      loadRoster();
    });
  });
  q('[data-bw-code]').addEventListener('click', function () {
    send('checkin_code', {}).then(function (d) { if (d) { q('[data-bw-code-out]').textContent = d.code; } });
  });
  q('[data-bw-export]').href = B.handlerUrl(runtime, element, 'export_roster');
  q('[data-bw-import]').addEventListener('submit', function (event) {
    event.preventDefault();
    B.upload(runtime, element, 'import_attendance', new FormData(event.target)).then(function (result) {
      var error = result.data && result.data.error;
      if (!result.ok) {
        var lines = (error && (error.unmatched || error.rows) || []).map(function (row) { return row.line + ': ' + row.value; });
        B.announce(element, B.errorMessage(result, t) + (lines.length ? ' ' + lines.join(', ') : ''), true);
        return;
      }
      B.announce(element, t.format(t.gettext('Attendance imported ({count} changed).'), { count: result.data.updated }));
      loadRoster();
    });
  });
  loadRoster();
}

function BlendedWebinarStudio(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks, t = B.i18n(args.i18n), form = element.querySelector('[data-bw-studio]');
  var numbers = ['duration', 'capacity', 'join_opens', 'late_after', 'weight', 'late_credit', 'excused_credit'];
  var notify = function (name, data) { if (runtime.notify) { runtime.notify(name, data); } };

  form.querySelector('[data-bw-add]').addEventListener('click', function (event) {
    var rows = form.querySelectorAll('.bw-speaker'), copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll('input').forEach(function (input) { input.value = ''; });
    event.target.parentNode.insertBefore(copy, event.target);
    copy.querySelector('input').focus();
  });
  form.querySelector('[data-bw-cancel]').addEventListener('click', function () { notify('cancel', {}); });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = {}, f = form.elements;
    ['display_name', 'start', 'timezone', 'registration_closes', 'join_url', 'languages', 'recording_url', 'description']
      .forEach(function (name) { data[name] = f[name].value; });
    numbers.forEach(function (name) { data[name] = Number(f[name].value || '0'); });
    data.waitlist = f.waitlist.checked;
    data.checkin = f.checkin.checked;
    data.speakers = Array.prototype.map.call(form.querySelectorAll('.bw-speaker'), function (row) {
      var inputs = row.querySelectorAll('input');
      return { name: inputs[0].value, affiliation: inputs[1].value };
    }).filter(function (s) { return s.name.trim(); });
    notify('save', { state: 'start' });
    B.call(runtime, element, 'studio_submit', data).then(function (result) {
      if (!result.ok) {
        B.announce(element, B.errorMessage(result, t), true);
        notify('error', { title: t.gettext('Not saved'), message: B.errorMessage(result, t) });
        return;
      }
      B.announce(element, t.gettext('Saved.'));
      notify('save', { state: 'end' });
    });
  });
}
