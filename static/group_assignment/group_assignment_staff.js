/* blended_group_assignment, instructor view: list, grade with the rubric, adjust members, release. */
function BlendedGroupAssignmentStaff(runtime, element, args) {
  'use strict';
  const { $, el, gettext, format, say, call, upload, pager, url, when, items } = window.BlendedXBlocks.block(runtime, element, args);
  const uid = 'bga-' + Math.random().toString(36).slice(2, 9), criteria = element.querySelectorAll('[data-criterion]');
  /* The status names are the filter's options. */
  const STATUS = {};
  $('[data-filter]').querySelectorAll('option').forEach((option) => { STATUS[option.value] = option.textContent; });
  let page = 1, current = null, searches = 0, searchTimer = null;
  const pages = pager($('.bga-pager'), (to) => { page = to; return load(); }, gettext('Page {page} of {pages} ({total} in all)'));

  function statusText(row) {
    let text = STATUS[row.status] || row.status;
    if (row.late && row.status === 'graded') { text += ' · ' + STATUS.late; }
    if (row.status === 'graded') { text += ' · ' + (row.released ? gettext('Released') : gettext('Not released')); }
    return text;
  }

  async function load() {
    const body = { page, page_size: 25 };
    if ($('[data-filter]').value) { body.status = $('[data-filter]').value; }
    const data = await call('list_submissions', body);
    if (!data) { return; }
    const rows = items(data, 'rows').map((row) => el('tr', {}, [
      el('th', { scope: 'row', text: row.group }),
      el('td', { text: row.members.map((m) => m.name).join(', ') }),
      el('td', { text: statusText(row) }),
      el('td', { text: row.points === null ? '—' : row.points + ' / ' + data.max_points }),
      el('td', {}, [el('button', { type: 'button', className: 'blended-secondary', disabled: row.status === 'not_started',
        'aria-label': format(gettext('Open {name}'), { name: row.group }), text: gettext('Open'),
        onclick: (event) => open(row.submission_id, event.currentTarget) })])
    ]));
    $('[data-rows]').replaceChildren(...(rows.length ? rows : [el('tr', {}, [el('td', { colspan: '5', text: gettext('Nothing to show.') })])]));
    $('[data-pending]').textContent = data.scores_pending_text;
    $('[data-pending]').hidden = !data.scores_pending;
    pages.show(data);
  }

  /* Move learner: any group of the assignment, found by part of its name (not only this page's). */
  async function findGroups() {
    const target = $('[data-target]');
    const asked = ++searches, query = $('[data-group-query]').value.trim();
    const data = await call('list_groups', { query, page_size: 50 });
    if (!data || asked !== searches) { return; }
    const chosen = target.value, groups = items(data, 'groups');
    target.replaceChildren(el('option', { value: '', text: gettext('No group') }), ...groups.map((group) => el('option', { value: String(group.id),
      text: format(gettext('{name} — members: {size}'), { name: group.name, size: group.size }) })));
    const kept = groups.some((group) => String(group.id) === chosen);
    target.value = query && groups.length && !kept ? String(groups[0].id) : kept ? chosen : '';
    $('[data-group-count]').textContent = data.total > groups.length
      ? format(gettext('Groups shown: {shown} of {total}. Type more of the name to find the others.'), { shown: groups.length, total: data.total })
      : format(gettext('Groups found: {total}'), { total: data.total });
  }

  function memberField(member, index) {
    const id = uid + '-m' + index;
    return el('div', { className: 'bga-member', 'data-user': member.user_id }, [
      el('span', { className: 'bga-member-name', text: member.name + (member.points !== undefined && member.points !== null ? ' — ' + member.points : '') }),
      el('label', { for: id + 'p', text: gettext('Adjustment (points)') }),
      el('input', { id: id + 'p', type: 'number', step: '0.5', value: String(member.adjustment || 0), 'data-points': true }),
      el('label', { for: id + 'r', text: gettext('Reason') }),
      el('input', { id: id + 'r', maxlength: '500', value: member.reason || '', 'data-reason': true })]);
  }

  function show(data) {
    current = data;
    $('[data-detail]').hidden = false;
    $('[data-detail-title]').textContent = data.group;
    $('[data-detail-meta]').textContent = statusText(data) + (data.submitted ? ' · ' + format(gettext('Submitted by {name}, {time}'),
      { name: data.submitted_by || '', time: when(data.submitted) }) : '') + (data.graded_by ? ' · ' + format(gettext('Graded by {name}'), { name: data.graded_by }) : '');
    $('[data-detail-text]').textContent = data.draft.text || '—';
    const files = data.files.map((file) => el('li', {}, [el('a', { href: url('download_file', 'file_id=' + file.id), download: file.name, text: file.name }),
      file.kind === 'feedback' ? ' (' + gettext('Feedback file') + ')' : '']));
    $('[data-detail-files]').replaceChildren(...(files.length ? files : [el('li', { text: gettext('No files.') })]));
    criteria.forEach((set) => set.querySelectorAll('input').forEach((input) => {
      input.checked = Number(input.value) === data.levels[set.getAttribute('data-criterion')];
    }));
    $('[data-feedback]').value = data.feedback || '';
    $('[data-members]').replaceChildren(...data.members.map(memberField));
    $('[data-release-one]').disabled = data.status !== 'graded' || data.released;
    $('[data-detail-history]').replaceChildren(...data.history.map((event) => el('li', { text: when(event.at) + ' — ' + (event.by || gettext('Instructor')) + ' ' + event.label })));
  }

  async function open(id, button) {
    const data = await call('get_submission', { submission_id: id }, { button });
    if (data) { show(data); $('[data-detail]').focus(); }
  }

  $('[data-grade-form]').addEventListener('submit', async (event) => {
    event.preventDefault();
    const levels = {}, adjustments = [];
    criteria.forEach((set) => {
      const chosen = set.querySelector('input:checked');
      if (chosen) { levels[set.getAttribute('data-criterion')] = Number(chosen.value); }
    });
    element.querySelectorAll('[data-user]').forEach((row) => {
      const points = Number(row.querySelector('[data-points]').value || 0);
      if (points) { adjustments.push({ user_id: row.getAttribute('data-user'), points, reason: row.querySelector('[data-reason]').value }); }
    });
    const data = await call('grade', { submission_id: current.submission_id, grade_version: current.grade_version, levels,
      feedback: $('[data-feedback]').value, adjustments }, { button: event.submitter });
    if (!data) { return; }
    show(data);
    say(gettext('Grade saved. Learners see it once it is released.'));
    load();
  });

  async function release(ids, button) {
    const data = await call('release_grades', ids ? { submission_ids: ids } : {}, { button });
    if (!data) { return; }
    say(format(gettext('Grades released: {count}.'), { count: data.released }));
    load();
    if (current) { open(current.submission_id); }
  }

  $('[data-release-one]').addEventListener('click', (event) => release([current.submission_id], event.currentTarget));
  $('[data-release-all]').addEventListener('click', (event) => release(null, event.currentTarget));
  $('[data-feedback-upload]').addEventListener('click', async (event) => {
    const input = $('[data-feedback-file]'), form = new FormData();
    if (!input.files.length) { say(gettext('Choose a file to upload.'), true); return; }
    form.append('file', input.files[0]);
    form.append('submission_id', String(current.submission_id));
    const data = await upload('upload_feedback_file', form, { button: event.currentTarget });
    if (!data) { return; }
    input.value = '';
    if (data.renamed) {
      say(format(gettext('“{original}” was uploaded as “{name}”: file names keep only letters, digits, spaces and - _ ( ).'),
        { original: data.original_name, name: data.name }));
    }
    open(current.submission_id);
  });
  if ($('[data-create-group]')) {
    $('[data-create-group]').addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!await call('create_group', { name: $('[data-group-name]').value }, { button: event.submitter })) { return; }
      $('[data-group-name]').value = '';
      say(gettext('Group created.'));
      load();
      findGroups();
    });
    $('[data-assign]').addEventListener('submit', async (event) => {
      event.preventDefault();
      const group = $('[data-target]').value;
      const data = await call('assign_member', { username: $('[data-username]').value.trim(), group_id: group ? Number(group) : null },
        { button: event.submitter });
      if (!data) { return; }
      say(format(gettext('{name} moved.'), { name: data.name }));
      load();
      findGroups();
    });
    $('[data-group-query]').addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(findGroups, 250);
    });
    findGroups();
  }
  $('[data-filter]').addEventListener('change', () => { page = 1; load(); });
  $('[data-download-all]').href = url('download_all');
  $('[data-export]').href = url('export_grades');
  const due = $('[data-due-text]');
  if (due && args.due) { due.textContent = when(args.due, args.timezone); }
  load();
}
