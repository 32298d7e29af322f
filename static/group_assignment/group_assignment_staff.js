/* blended_group_assignment, instructor view: list, grade with the rubric, adjust members, release. */
function BlendedGroupAssignmentStaff(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks, t = B.i18n(args.i18n), el = B.el;
  var $ = function (sel) { return element.querySelector(sel); };
  var rubric = JSON.parse(element.querySelector('[data-rubric]').getAttribute('data-rubric') || '[]');
  var page = 1, pageSize = 25, current = null, uid = 'bga-' + Math.random().toString(36).slice(2, 9);
  var STATUS = {
    not_started: t.gettext('Not started'), draft: t.gettext('Draft'), submitted: t.gettext('Submitted'),
    late: t.gettext('Late'), graded: t.gettext('Graded')
  };
  var when = function (iso) { return iso ? B.formatDateTime(iso, B.browserTimeZone(), args.language) : ''; };
  var url = function (name, query) { return B.handlerUrl(runtime, element, name, query); };

  function call(handler, body, done) {
    return B.call(runtime, element, handler, body).then(function (result) {
      if (!result.ok) { B.announce(element, B.errorMessage(result, t), true); return; }
      done(result.data);
    });
  }

  function statusText(row) {
    var text = STATUS[row.status] || row.status;
    if (row.late && row.status === 'graded') { text += ' · ' + STATUS.late; }
    if (row.status === 'graded') { text += ' · ' + (row.released ? t.gettext('Released') : t.gettext('Not released')); }
    return text;
  }

  function load() {
    var body = { page: page, page_size: pageSize };
    if ($('[data-filter]').value) { body.status = $('[data-filter]').value; }
    call('list_submissions', body, function (data) {
      var rows = $('[data-rows]');
      rows.textContent = '';
      if (!data.rows.length) { rows.appendChild(el('tr', {}, [el('td', { colspan: '5', text: t.gettext('Nothing to show.') })])); }
      data.rows.forEach(function (row) {
        rows.appendChild(el('tr', {}, [
          el('th', { scope: 'row', text: row.group }),
          el('td', { text: row.members.map(function (m) { return m.name; }).join(', ') }),
          el('td', { text: statusText(row) }),
          el('td', { text: row.points === null ? '—' : row.points + ' / ' + data.max_points }),
          el('td', {}, [el('button', { type: 'button', className: 'blended-secondary', disabled: row.status === 'not_started',
            'aria-label': t.format(t.gettext('Open {name}'), { name: row.group }), text: t.gettext('Open'),
            onclick: function () { open(row.submission_id); } })])
        ]));
      });
      $('[data-pending]').textContent = data.scores_pending_text;
      $('[data-pending]').hidden = !data.scores_pending;
      var pages = Math.max(1, Math.ceil(data.total / pageSize));
      $('[data-page]').textContent = t.format(t.gettext('Page {page} of {pages} ({total} in all)'), { page: page, pages: pages, total: data.total });
      $('[data-prev]').disabled = page <= 1;
      $('[data-next]').disabled = page >= pages;
    });
  }

  /* Move learner: any group of the assignment, found by part of its name (not only this page's). */
  var searches = 0, searchTimer = null;
  function findGroups() {
    var target = $('[data-target]');
    if (!target) { return; }
    var asked = ++searches, query = $('[data-group-query]').value.trim();
    call('list_groups', { query: query, page_size: 50 }, function (data) {
      if (asked !== searches) { return; }
      var chosen = target.value;
      target.textContent = '';
      target.appendChild(el('option', { value: '', text: t.gettext('No group') }));
      data.groups.forEach(function (group) {
        target.appendChild(el('option', { value: String(group.id),
          text: t.format(t.gettext('{name} — members: {size}'), { name: group.name, size: group.size }) }));
      });
      var kept = data.groups.some(function (group) { return String(group.id) === chosen; });
      target.value = query && data.groups.length && !kept ? String(data.groups[0].id) : kept ? chosen : '';
      $('[data-group-count]').textContent = data.total > data.groups.length
        ? t.format(t.gettext('Groups shown: {shown} of {total}. Type more of the name to find the others.'), { shown: data.groups.length, total: data.total })
        : t.format(t.gettext('Groups found: {total}'), { total: data.total });
    });
  }

  function criterionField(criterion, chosen) {
    var options = criterion.levels.map(function (level) {
      var id = uid + '-' + criterion.name + '-' + String(level.points).replace('.', '_');
      return el('span', { className: 'bga-level' }, [
        el('input', { type: 'radio', id: id, name: uid + '-' + criterion.name, value: String(level.points), required: true,
          checked: chosen === level.points }),
        el('label', { for: id, text: level.label + ' (' + level.points + ')' })]);
    });
    return el('fieldset', { className: 'bga-criterion' }, [el('legend', { text: criterion.label })].concat(options));
  }

  function memberField(member, index) {
    var id = uid + '-m' + index;
    return el('div', { className: 'bga-member', 'data-user': member.user_id }, [
      el('span', { className: 'bga-member-name', text: member.name + (member.points !== undefined && member.points !== null ? ' — ' + member.points : '') }),
      el('label', { for: id + 'p', text: t.gettext('Adjustment (points)') }),
      el('input', { id: id + 'p', type: 'number', step: '0.5', value: String(member.adjustment || 0), 'data-points': true }),
      el('label', { for: id + 'r', text: t.gettext('Reason') }),
      el('input', { id: id + 'r', maxlength: '500', value: member.reason || '', 'data-reason': true })]);
  }

  function fileList(list, files) {
    list.textContent = '';
    if (!files.length) { list.appendChild(el('li', { text: t.gettext('No files.') })); }
    files.forEach(function (file) {
      list.appendChild(el('li', {}, [el('a', { href: url('download_file', 'file_id=' + file.id), download: file.name, text: file.name }),
        file.kind === 'feedback' ? ' (' + t.gettext('Feedback file') + ')' : '']));
    });
  }

  function show(data) {
    current = data;
    var box = $('[data-detail]');
    box.hidden = false;
    $('[data-detail-title]').textContent = data.group;
    $('[data-detail-meta]').textContent = statusText(data) + (data.submitted ? ' · ' + t.format(t.gettext('Submitted by {name}, {time}'),
      { name: data.submitted_by || '', time: when(data.submitted) }) : '') + (data.graded_by ? ' · ' + t.format(t.gettext('Graded by {name}'), { name: data.graded_by }) : '');
    $('[data-detail-text]').textContent = data.draft.text || '—';
    fileList($('[data-detail-files]'), data.files);
    var criteria = $('[data-criteria]');
    criteria.textContent = '';
    rubric.forEach(function (criterion) { criteria.appendChild(criterionField(criterion, data.levels[criterion.name])); });
    $('[data-feedback]').value = data.feedback || '';
    var members = $('[data-members]');
    members.textContent = '';
    data.members.forEach(function (member, index) { members.appendChild(memberField(member, index)); });
    $('[data-release-one]').disabled = data.status !== 'graded' || data.released;
    var history = $('[data-detail-history]');
    history.textContent = '';
    data.history.forEach(function (event) {
      history.appendChild(el('li', { text: when(event.at) + ' — ' + (event.by || t.gettext('Instructor')) + ' ' + event.label }));
    });
  }

  function open(id) {
    call('get_submission', { submission_id: id }, function (data) { show(data); $('[data-detail]').focus(); });
  }

  $('[data-grade-form]').addEventListener('submit', function (event) {
    event.preventDefault();
    var levels = {}, adjustments = [];
    rubric.forEach(function (criterion) {
      var chosen = element.querySelector('input[name="' + uid + '-' + criterion.name + '"]:checked');
      if (chosen) { levels[criterion.name] = Number(chosen.value); }
    });
    element.querySelectorAll('[data-user]').forEach(function (row) {
      var points = Number(row.querySelector('[data-points]').value || 0);
      if (points) { adjustments.push({ user_id: row.getAttribute('data-user'), points: points, reason: row.querySelector('[data-reason]').value }); }
    });
    call('grade', { submission_id: current.submission_id, grade_version: current.grade_version, levels: levels,
      feedback: $('[data-feedback]').value, adjustments: adjustments }, function (data) {
      show(data);
      B.announce(element, t.gettext('Grade saved. Learners see it once it is released.'));
      load();
    });
  });

  function release(ids) {
    call('release_grades', ids ? { submission_ids: ids } : {}, function (data) {
      B.announce(element, t.format(t.gettext('Grades released: {count}.'), { count: data.released }));
      load();
      if (current) { open(current.submission_id); }
    });
  }

  $('[data-release-one]').addEventListener('click', function () { release([current.submission_id]); });
  $('[data-release-all]').addEventListener('click', function () { release(null); });
  $('[data-feedback-upload]').addEventListener('click', function () {
    var input = $('[data-feedback-file]');
    if (!input.files.length) { B.announce(element, t.gettext('Choose a file to upload.'), true); return; }
    var form = new FormData();
    form.append('file', input.files[0]);
    form.append('submission_id', String(current.submission_id));
    B.upload(runtime, element, 'upload_feedback_file', form).then(function (result) {
      if (!result.ok) { B.announce(element, B.errorMessage(result, t), true); return; }
      input.value = '';
      if (result.data.renamed) {
        B.announce(element, t.format(t.gettext('“{original}” was uploaded as “{name}”: file names keep only letters, digits, spaces and - _ ( ).'),
          { original: result.data.original_name, name: result.data.name }));
      }
      open(current.submission_id);
    });
  });
  if ($('[data-create-group]')) {
    $('[data-create-group]').addEventListener('submit', function (event) {
      event.preventDefault();
      call('create_group', { name: $('[data-group-name]').value }, function () {
        $('[data-group-name]').value = '';
        B.announce(element, t.gettext('Group created.'));
        load();
        findGroups();
      });
    });
    $('[data-assign]').addEventListener('submit', function (event) {
      event.preventDefault();
      var group = $('[data-target]').value;
      call('assign_member', { username: $('[data-username]').value.trim(), group_id: group ? Number(group) : null }, function (data) {
        B.announce(element, t.format(t.gettext('{name} moved.'), { name: data.name }));
        load();
        findGroups();
      });
    });
    $('[data-group-query]').addEventListener('input', function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(findGroups, 250);
    });
    findGroups();
  }
  $('[data-filter]').addEventListener('change', function () { page = 1; load(); });
  $('[data-prev]').addEventListener('click', function () { page -= 1; load(); });
  $('[data-next]').addEventListener('click', function () { page += 1; load(); });
  $('[data-download-all]').href = url('download_all');
  $('[data-export]').href = url('export_grades');
  var due = $('[data-due-text]');
  if (due && args.due) { due.textContent = B.formatDateTime(args.due, args.timezone, args.language); }
  load();
}
