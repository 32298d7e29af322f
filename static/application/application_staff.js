/* blended_application, staff's part (loaded for staff only, after application.js): the table (filter, search,
   sort, pager), one applicant with the review form, bulk decisions. Plain ES2017; scoped to `element`. */
function BlendedApplicationStaff(runtime, element, args) {
  'use strict';
  BlendedApplication(runtime, element, args);
  const { $: find, el, gettext, format, say, call, pager, url, items, explain } = window.BlendedXBlocks.block(runtime, element, args);
  const root = find('[data-ap-root]') || element, $ = (selector) => root.querySelector(selector);
  if (!$('[data-ap-staff]')) { return; }
  const STAFF_NAMES = { draft: gettext('Draft'), submitted: gettext('Submitted'), withdrawn: gettext('Withdrawn'),
    selected: gettext('Selected'), waitlisted: gettext('Waitlisted'), not_selected: gettext('Not selected'),
    accepted: gettext('Accepted'), declined: gettext('Declined'), expired: gettext('Offer expired') };
  const query = { page: 1, page_size: 25, status: 'all', search: '', sort: 'submitted' };
  const questions = args.state.questions || [];
  const criteria = args.criteria || [];
  let picked = [];  // user ids in the order staff chose them: the waitlist follows this order
  const staffError = $('[data-ap-staff-error]');
  const detail = $('[data-ap-detail]');
  let opened = null;  // the applicant shown, so that closing returns focus to their row

  /* Staff's refusals show in their own alert region, next to the table; a success empties it. */
  const staff = async (handler, body, button) => {
    let said = '';
    const data = await call(handler, body, { button, refused: (error, result) => { said = explain(result); return true; } });
    staffError.textContent = said;
    staffError.hidden = !said;
    return data;
  };
  const pages = pager($('.bap-pager'), (page) => { query.page = page; return load(); }, gettext('Page {page} of {pages} ({total} applications)'));
  function score(value) { return value === null || value === undefined ? '–' : String(value); }
  function answerText(q, value) {
    if (value === undefined || value === null || value === '') { return '–'; }
    if (q.kind === 'yes_no') { return value === 'yes' ? gettext('Yes') : gettext('No'); }
    if (q.kind === 'choice') {
      const choice = (q.choices || []).filter((c) => c.value === value)[0];
      return choice ? choice.label : String(value);
    }
    return String(value);
  }

  function updatePicked() {
    $('[data-ap-picked]').textContent = format(gettext('{n} selected for a decision'), { n: picked.length });
  }

  function renderRows(data) {
    const rows = $('[data-ap-rows]');
    rows.textContent = '';
    const list = items(data, 'applications');
    if (!list.length) {
      rows.appendChild(el('tr', {}, [el('td', { colspan: '6' }, [gettext('No applications match.')])]));
    }
    list.forEach((row) => {
      const box = el('input', { type: 'checkbox', value: String(row.user_id), checked: picked.indexOf(row.user_id) >= 0,
        'aria-label': format(gettext('Choose {name}'), { name: row.name }) });
      box.addEventListener('change', () => {
        const at = picked.indexOf(row.user_id);
        if (box.checked && at < 0) { picked.push(row.user_id); } else if (!box.checked && at >= 0) { picked.splice(at, 1); }
        updatePicked();
      });
      const open = el('button', { type: 'button', className: 'bap-link', dir: 'auto', 'data-ap-open': String(row.user_id) }, [row.name]);
      open.addEventListener('click', () => openDetail(row.user_id, open));
      let status = STAFF_NAMES[row.status] || row.status;
      if (row.waitlist_position) { status += ' (' + format(gettext('position {n}'), { n: row.waitlist_position }) + ')'; }
      rows.appendChild(el('tr', { 'data-ap-row': String(row.user_id) }, [
        el('td', {}, [box]),
        el('th', { scope: 'row' }, [open]),
        el('td', { 'data-ap-cell': 'status' }, [status]),
        el('td', {}, [row.eligible ? gettext('Yes') : gettext('No')]),
        el('td', {}, [score(row.average) + ' (' + format(gettext('{n} reviews'), { n: row.reviews }) + ')']),
        el('td', {}, [score(row.my_total)])
      ]));
    });
    pages.show(data);
    $('[data-ap-places]').textContent = data.places_left === null ? gettext('No limit on places.') :
      format(gettext('Places left: {n} of {places}'), { n: data.places_left, places: data.places });
  }

  async function load() {
    const data = await staff('list_applications', query);
    if (data) { renderRows(data); }
  }

  async function openDetail(userId, button) {
    opened = userId;
    const data = await staff('get_application', { user_id: userId }, button);
    if (data) { showDetail(data); }
  }

  function showDetail(d) {
    const body = detail.querySelector('[data-ap-detail-body]');
    body.textContent = '';
    detail.querySelector('[data-ap-detail-title]').textContent = d.name;
    const status = STAFF_NAMES[d.status] || d.status;
    body.appendChild(el('p', {}, [d.email + ' · ' + status + ' · ' +
      (d.eligible ? gettext('Eligible') : gettext('Not eligible'))]));
    const list = el('dl', { className: 'bap-answers' });
    questions.forEach((q) => {
      if (q.kind === 'file') { return; }
      list.appendChild(el('dt', { dir: 'auto' }, [q.label]));
      list.appendChild(el('dd', { dir: 'auto' }, [answerText(q, d.answers[q.id])]));
    });
    body.appendChild(list);
    if (d.files.length) {
      body.appendChild(el('ul', {}, d.files.map((f) => el('li', {}, [el('a', { href: f.url, dir: 'auto' }, [f.name])]))));
    }
    body.appendChild(el('p', { 'data-ap-average': '' }, [format(gettext('Average score: {average} ({n} reviews)'),
      { average: score(d.average), n: d.reviews })]));

    const mine = d.my_review || { scores: {}, note: '' };
    const form = el('form', { className: 'bap-review', 'data-ap-review': '' });
    form.appendChild(el('h4', {}, [gettext('Your review')]));
    criteria.forEach((c) => {
      const id = root.id + '-score-' + c.id;
      form.appendChild(el('p', {}, [
        el('label', { for: id, dir: 'auto' }, [format(gettext('{label} (0 to {points})'), { label: c.label, points: c.points })]),
        ' ',
        el('input', { id, type: 'number', min: '0', max: String(c.points), step: '1', required: true,
          'data-ap-score': c.id, value: mine.scores[c.id] === undefined ? '' : String(mine.scores[c.id]) })
      ]));
    });
    const noteId = root.id + '-note';
    const note = el('textarea', { id: noteId, rows: '3', dir: 'auto', maxlength: '5000' });
    note.value = mine.note || '';
    form.appendChild(el('p', {}, [el('label', { for: noteId }, [gettext('Note')]), note]));
    form.appendChild(el('button', { type: 'submit', className: 'blended-button blended-primary' }, [gettext('Save my review')]));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const scores = {};
      form.querySelectorAll('[data-ap-score]').forEach((input) => {
        if (input.value !== '') { scores[input.getAttribute('data-ap-score')] = Number(input.value); }
      });
      const saved = await staff('review', { user_id: d.user_id, scores, note: note.value }, event.submitter);
      if (!saved) { return; }
      detail.querySelector('[data-ap-average]').textContent = format(gettext('Average score: {average} ({n} reviews)'),
        { average: score(saved.average), n: saved.reviews });
      say(gettext('Your review is saved.'));
      load();
    });
    body.appendChild(form);
    detail.hidden = false;
    detail.focus();
  }

  $('[data-ap-close]').addEventListener('click', () => {
    detail.hidden = true;
    const opener = root.querySelector('[data-ap-rows] [data-ap-open="' + opened + '"]') ||
      root.querySelector('[data-ap-rows] [data-ap-open]');
    if (opener) { opener.focus(); }
  });

  root.querySelectorAll('[data-ap-decide]').forEach((button) => {
    button.addEventListener('click', async () => {
      const ids = picked.slice();
      if (!ids.length) {
        staffError.textContent = gettext('Choose at least one applicant first.');
        staffError.hidden = false;
        return;
      }
      if (!await staff('decide', { user_ids: ids, decision: button.getAttribute('data-ap-decide'), message: $('[data-ap-message]').value }, button)) {
        return;
      }
      picked = [];
      updatePicked();
      $('[data-ap-message]').value = '';
      say(format(gettext('Decision saved for {n} applicants.'), { n: ids.length }));
      load();
    });
  });

  let typing = null;
  $('[data-ap-search]').addEventListener('input', (event) => {
    clearTimeout(typing);
    typing = setTimeout(() => { query.search = event.target.value.trim(); query.page = 1; load(); }, 300);
  });
  $('[data-ap-filter]').addEventListener('change', (event) => { query.status = event.target.value; query.page = 1; load(); });
  $('[data-ap-sort]').addEventListener('change', (event) => { query.sort = event.target.value; query.page = 1; load(); });
  $('[data-ap-export]').href = url('export_applications');
  $('[data-ap-files]').href = url('download_files');
  updatePicked();
  load();
}
