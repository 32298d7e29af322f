/* blended_group_assignment, learner view: group, shared draft (versioned), files, submit, result. */
function BlendedGroupAssignment(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks, t = B.i18n(args.i18n), el = B.el;
  var $ = function (sel) { return element.querySelector(sel); };
  var state = null, version = 0, chosen = {};
  var STATUS = {
    not_started: t.gettext('Not started'), draft: t.gettext('Draft'), submitted: t.gettext('Submitted'),
    late: t.gettext('Submitted late'), graded: t.gettext('Submitted')
  };
  var when = function (iso) { return B.formatDateTime(iso, B.browserTimeZone(), args.language); };

  function fail(result) { B.announce(element, B.errorMessage(result, t), true); }

  function call(handler, body, done) {
    return B.call(runtime, element, handler, body).then(function (result) {
      if (!result.ok) { fail(result); return result; }
      if (done) { done(result.data); }
      return result;
    });
  }

  function showDeadline() {
    var box = $('[data-due-text]');
    if (!box || !args.due) { return; }
    var mine = args.user_time_zone || B.browserTimeZone();
    var text = B.formatDateTime(args.due, args.timezone, args.language);
    if (mine !== args.timezone) {
      text += ' (' + t.format(t.gettext('your time: {time}'), { time: B.formatDateTime(args.due, mine, args.language) }) + ')';
    }
    box.textContent = text;
  }

  function renderGroup() {
    var box = $('[data-group]');
    box.textContent = '';
    if (state.group) {
      if (state.mode === 'group') {
        box.appendChild(el('p', {}, [el('strong', { text: t.format(t.gettext('Your group: {name}'), { name: state.group.name }) }),
          ' — ' + state.group.members.join(', ')]));
      }
      if (state.can_change_group && state.status === 'not_started') {
        box.appendChild(el('button', { type: 'button', className: 'blended-secondary', text: t.gettext('Leave this group'),
          onclick: function () { call('leave_group', {}, render); } }));
      }
      return;
    }
    if (!state.can_change_group) {
      box.appendChild(el('p', { text: t.gettext('You are not in a group yet. Your instructor will place you in one.') }));
      return;
    }
    box.appendChild(el('h3', { text: t.gettext('Join a group') }));
    var list = el('ul', { className: 'bga-groups' });
    state.groups.forEach(function (group) {
      list.appendChild(el('li', {}, [group.name + ' (' + t.format(t.gettext('Members: {count}'), { count: group.size }) + ') ',
        group.has_work && !group.full ? el('span', { text: t.gettext('Work has started: ask your instructor to join this group.') }) : el('button', { type: 'button', className: 'blended-secondary', disabled: group.full,
          'aria-label': t.format(t.gettext('Join {name}'), { name: group.name }), text: group.full ? t.gettext('Full') : t.gettext('Join'),
          onclick: function () { call('join_group', { group_id: group.id }, render); } })]));
    });
    box.appendChild(list);
    var input = el('input', { id: 'bga-' + Math.random().toString(36).slice(2, 9), maxlength: '100', required: true });
    box.appendChild(el('form', { className: 'bga-new-group', onsubmit: function (event) {
      event.preventDefault();
      call('create_group', { name: input.value }, render);
    } }, [el('label', { for: input.id, text: t.gettext('New group name') }), ' ', input, ' ',
      el('button', { type: 'submit', text: t.gettext('Create group') })]));
  }

  function renderWork() {
    var work = $('[data-work]');
    work.hidden = !state.group;
    if (!state.group) { return; }
    var locked = ['submitted', 'late', 'graded'].indexOf(state.status) >= 0;
    var text = $('[data-text]');
    if (document.activeElement !== text || locked) { text.value = state.draft.text; }
    version = state.draft.version;
    text.readOnly = locked;
    ['[data-save]', '[data-submit]', '[data-upload]', '[data-file]'].forEach(function (sel) { $(sel).disabled = locked; });
    $('[data-upload-row]').hidden = locked;
    var saved = state.draft.updated_by ? t.format(t.gettext('Last saved by {name}, {time}'),
      { name: state.draft.updated_by, time: when(state.draft.updated) }) : '';
    if (locked) {
      saved = t.format(t.gettext('{status} by {name}, {time}'), { status: STATUS[state.status], name: state.submitted_by, time: when(state.submitted) });
    } else if (state.past_due) {
      saved += ' ' + (state.late_submissions ? t.gettext('The deadline has passed: a submission now will be marked late.')
        : t.gettext('The deadline has passed: this assignment no longer accepts submissions.'));
      $('[data-submit]').disabled = !state.late_submissions;
    }
    $('[data-saved]').textContent = saved;
    $('[data-file-help]').textContent = t.format(t.gettext('Up to {count} files, {mb} MB each: {types}'),
      { count: state.max_files, mb: state.max_file_mb, types: state.file_types.join(' ') });
    $('[data-file]').setAttribute('accept', state.file_types.join(','));
    renderFiles($('[data-files]'), state.files.filter(function (f) { return f.kind === 'work'; }), !locked);
  }

  function renderFiles(list, files, removable) {
    list.textContent = '';
    if (!files.length) { list.appendChild(el('li', { text: t.gettext('No files yet.') })); }
    files.forEach(function (file) {
      var url = B.handlerUrl(runtime, element, 'download_file', 'file_id=' + file.id);
      list.appendChild(el('li', {}, [el('a', { href: url, download: file.name, text: file.name }),
        ' (' + Math.max(1, Math.round(file.size / 1024)) + ' KB' + (file.uploaded_by ? ', ' + file.uploaded_by : '') + ') ',
        chosen[file.id] ? el('span', { className: 'bga-meta', text: t.format(t.gettext('renamed from “{original}”'), { original: chosen[file.id] }) + ' ' }) : null,
        removable ? el('button', { type: 'button', className: 'blended-secondary',
          'aria-label': t.format(t.gettext('Remove {name}'), { name: file.name }), text: t.gettext('Remove'),
          onclick: function () { call('delete_file', { file_id: file.id }, render).then(function (r) { if (r.ok) { B.announce(element, t.gettext('File removed.')); } }); } }) : null]));
    });
  }

  function renderResult() {
    var box = $('[data-result]'), result = state.result;
    box.textContent = '';
    if (!result) {
      if (state.status === 'graded' || state.status === 'submitted' || state.status === 'late') {
        box.appendChild(el('p', { text: t.gettext('Your work has been submitted. Your grade will appear here once the instructor releases it.') }));
      }
      return;
    }
    var rows = result.levels.map(function (level) {
      return el('tr', {}, [el('th', { scope: 'row', text: level.criterion }), el('td', { text: level.label }),
        el('td', { text: level.points + ' / ' + level.max })]);
    });
    box.appendChild(el('h3', { text: t.gettext('Your grade') }));
    box.appendChild(el('p', { className: 'bga-score', text: t.format(t.gettext('{points} of {max} points'), { points: result.points, max: result.max_points }) }));
    if (result.adjustment) {
      box.appendChild(el('p', { text: t.format(t.gettext('Group points: {points}. Your adjustment: {adjustment} ({reason})'),
        { points: result.group_points, adjustment: (result.adjustment > 0 ? '+' : '') + result.adjustment, reason: result.reason }) }));
    }
    box.appendChild(el('table', {}, [el('caption', { text: t.gettext('Rubric') }), el('tbody', {}, rows)]));
    if (result.feedback) { box.appendChild(el('h4', { text: t.gettext('Feedback') })); box.appendChild(el('p', { className: 'bga-feedback', dir: 'auto', text: result.feedback })); }
    var feedbackFiles = state.files.filter(function (f) { return f.kind === 'feedback'; });
    if (feedbackFiles.length) { var list = el('ul', { className: 'bga-files' }); renderFiles(list, feedbackFiles, false); box.appendChild(list); }
  }

  function renderHistory() {
    var list = $('[data-history]');
    list.textContent = '';
    $('[data-history-box]').hidden = !state.history.length;
    state.history.forEach(function (event) {
      list.appendChild(el('li', { text: when(event.at) + ' — ' + (event.by || t.gettext('Instructor')) + ' ' + event.label }));
    });
  }

  function render(data) {
    state = data;
    $('[data-theirs]').hidden = true;
    renderGroup();
    renderWork();
    renderResult();
    renderHistory();
  }

  /* Save the text; `then(version)` runs after a successful save. */
  function save(then) {
    B.call(runtime, element, 'save_draft', { text: $('[data-text]').value, version: version }).then(function (result) {
      var error = result.data && result.data.error;
      if (error && error.code === 'version_conflict') {
        version = error.draft.version;
        $('[data-theirs-text]').textContent = error.draft.text;
        $('[data-theirs]').hidden = false;
        B.announce(element, error.message + ' ' + t.format(t.gettext('Saved by {name}.'), { name: error.draft.updated_by || '' }), true);
        return;
      }
      if (!result.ok) { fail(result); return; }
      version = result.data.draft.version;
      $('[data-theirs]').hidden = true;
      if (then) { then(); return; }
      B.announce(element, t.gettext('Draft saved.'));
      call('get_state', {}, render);
    });
  }

  $('[data-save]').addEventListener('click', function () { save(); });

  $('[data-upload]').addEventListener('click', function () {
    var input = $('[data-file]');
    if (!input.files.length) { B.announce(element, t.gettext('Choose a file to upload.'), true); input.focus(); return; }
    var form = new FormData();
    form.append('file', input.files[0]);
    B.announce(element, t.gettext('Uploading…'));
    B.upload(runtime, element, 'upload_file', form).then(function (result) {
      if (!result.ok) { fail(result); return; }
      input.value = '';
      var data = result.data;
      if (data.renamed) { chosen[data.id] = data.original_name; }
      B.announce(element, data.renamed ? t.format(t.gettext('“{original}” was uploaded as “{name}”: file names keep only letters, digits, spaces and - _ ( ).'),
        { original: data.original_name, name: data.name }) : t.format(t.gettext('{name} uploaded.'), { name: data.name }));
      call('get_state', {}, render);
    });
  });

  function submit() {
    call('submit', { version: version }, function (data) {
      render(data);
      B.announce(element, t.gettext('Submitted. Your group can no longer change the work.'));
    });
  }

  $('[data-submit]').addEventListener('click', function () {
    if ($('[data-text]').value !== state.draft.text) { save(submit); } else { submit(); }
  });

  showDeadline();
  /* The first state comes in the page (one round trip); get_state is asked only when it is missing. */
  var root = $('[data-bga-state]'), first = root && JSON.parse(root.getAttribute('data-bga-state'));
  if (first) { render(first); } else { call('get_state', {}, render); }
}
