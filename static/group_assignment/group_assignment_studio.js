/* blended_group_assignment Studio editor: settings, the rubric and seeded groups as form rows, so
   authors never write JSON. Plain ES2017, everything scoped to `element`, DOM built from the
   server's <template> rows (no HTML strings). The server validates everything again on save. */
function BlendedGroupAssignmentStudio(runtime, element, args) {
  'use strict';
  const { el, gettext, format: fmt, say, save: send, cancel, explain } = window.BlendedXBlocks.studio(runtime, element, args);
  const form = element.querySelector('[data-bga-studio]'), uid = form.getAttribute('data-bga-uid');
  const criteriaBox = form.querySelector('[data-bga-criteria]'), groupsBox = form.querySelector('[data-bga-groups]');
  const errorsBox = form.querySelector('[data-bga-errors]'), maxBox = form.querySelector('[data-bga-max]');
  const rows = (box) => Array.prototype.slice.call(box.children);
  const one = (root, selector) => root.querySelector(selector);
  const button = (row, action, step) => one(row, '[data-bga-action="' + action + '"]' + (step ? '[data-bga-step="' + step + '"]' : ''));
  /* Grades store the criterion's name: names present when the editor opened are never given to a
     new criterion, even if the author removes the old one (its grades would change meaning). */
  const reserved = new Set(rows(criteriaBox).map((row) => row.dataset.bgaName).filter(Boolean));

  function copy(name) {
    return document.importNode(one(form, '[data-bga-template="' + name + '"]').content, true).firstElementChild;
  }

  function link(input, id) {
    input.id = id;
    input.closest('.bga-field').querySelector('label').htmlFor = id;
  }

  function name(node, action, step, text) {
    const target = button(node, action, step);
    target.setAttribute('aria-label', text);
    return target;
  }

  /* Numbers, ids, accessible names and edge buttons follow the rows' current order. */
  function refresh() {
    const criteria = rows(criteriaBox);
    criteria.forEach((criterion, i) => {
      const number = i + 1, base = uid + '-c' + number;
      one(criterion, 'legend').textContent = fmt(gettext('Criterion {number}'), { number: number });
      link(one(criterion, '[data-bga-criterion-label]'), base);
      name(criterion, 'add-level', null, fmt(gettext('Add a level to criterion {number}'), { number: number }));
      name(criterion, 'move-criterion', '-1', fmt(gettext('Move up: criterion {number}'), { number: number })).disabled = i === 0;
      name(criterion, 'move-criterion', '1', fmt(gettext('Move down: criterion {number}'), { number: number })).disabled = i === criteria.length - 1;
      name(criterion, 'remove-criterion', null, fmt(gettext('Remove criterion {number}'), { number: number }));
      const levels = rows(one(criterion, '[data-bga-levels]'));
      levels.forEach((level, j) => {
        const params = { level: j + 1, number: number };
        one(level, 'legend').textContent = fmt(gettext('Level {number}'), { number: j + 1 });
        link(one(level, '[data-bga-level-label]'), base + '-l' + (j + 1));
        link(one(level, '[data-bga-level-points]'), base + '-l' + (j + 1) + '-points');
        name(level, 'move-level', '-1', fmt(gettext('Move up: level {level} of criterion {number}'), params)).disabled = j === 0;
        name(level, 'move-level', '1', fmt(gettext('Move down: level {level} of criterion {number}'), params)).disabled = j === levels.length - 1;
        name(level, 'remove-level', null, fmt(gettext('Remove level {level} of criterion {number}'), params)).disabled = levels.length === 1;
      });
    });
    rows(groupsBox).forEach((group, i) => {
      one(group, 'legend').textContent = fmt(gettext('Group {number}'), { number: i + 1 });
      link(one(group, '[data-bga-group-name]'), uid + '-g' + (i + 1));
      link(one(group, '[data-bga-group-members]'), uid + '-g' + (i + 1) + '-members');
      name(group, 'remove-group', null, fmt(gettext('Remove group {number}'), { number: i + 1 }));
    });
    showMaximum();
  }

  function points(input) {
    const text = input.value.trim();
    return text === '' || isNaN(Number(text)) ? null : Number(text);
  }

  /* The same sum the server computes: each criterion's best level. */
  function showMaximum() {
    const total = rows(criteriaBox).reduce((sum, criterion) => {
      const values = Array.prototype.map.call(criterion.querySelectorAll('[data-bga-level-points]'), points)
        .filter((value) => value !== null);
      return sum + (values.length ? Math.max.apply(null, values) : 0);
    }, 0);
    const text = fmt(gettext('Maximum points: {points}'), { points: Math.round(total * 100) / 100 });
    if (maxBox.textContent !== text) { maxBox.textContent = text; }
  }

  function slug(label) {
    const base = label.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, 32).replace(/-+$/, '');
    return base || 'criterion';
  }

  function rubric() {
    const taken = new Set(reserved);
    rows(criteriaBox).forEach((row) => { if (row.dataset.bgaName) { taken.add(row.dataset.bgaName); } });
    return rows(criteriaBox).map((row) => {
      const label = one(row, '[data-bga-criterion-label]').value.trim();
      let key = row.dataset.bgaName;
      if (!key) {
        const base = slug(label);
        key = base;
        for (let n = 2; taken.has(key); n += 1) { key = base + '-' + n; }
        taken.add(key);
        row.dataset.bgaNew = key;  /* kept once saved, so a second save does not rename it */
      }
      return { name: key, label: label, levels: rows(one(row, '[data-bga-levels]')).map((level) => ({
        label: one(level, '[data-bga-level-label]').value.trim(), points: points(one(level, '[data-bga-level-points]')) })) };
    });
  }

  function groups() {
    return rows(groupsBox).map((row) => ({
      name: one(row, '[data-bga-group-name]').value.trim(),
      members: one(row, '[data-bga-group-members]').value.split(/[\n,]+/).map((m) => m.trim()).filter(Boolean)
    }));
  }

  function values() {
    const f = form.elements, data = {};
    ['display_name', 'mode', 'teamset', 'assignment_due', 'timezone', 'file_types', 'prompt']
      .forEach((field) => { data[field] = f[field].value; });
    ['max_group_size', 'max_files', 'max_file_mb', 'weight'].forEach((field) => { data[field] = points(f[field]); });
    data.self_enrolment = f.self_enrolment.checked;
    data.late_submissions = f.late_submissions.checked;
    data.rubric = rubric();
    data.groups = groups();
    return data;
  }

  function showErrors(messages) {
    errorsBox.textContent = '';
    if (!messages.length) { return; }
    errorsBox.appendChild(el('p', { text: gettext('Not saved:') }));
    errorsBox.appendChild(el('ul', {}, messages.map((text) => el('li', { text: text }))));
    errorsBox.focus();
  }

  async function save(button) {
    showErrors([]);
    say('');
    const saved = await send('submit_studio_edits', { values: values(), defaults: [] }, { button, refused: (error, result) => {
      showErrors(error.messages ? error.messages.map((m) => m.text) : [explain(result)]);
      return true;
    } });
    if (saved) {
      rows(criteriaBox).forEach((row) => {
        if (row.dataset.bgaNew) { row.dataset.bgaName = row.dataset.bgaNew; delete row.dataset.bgaNew; }
      });
    }
  }

  function addLevel(criterion) {
    const level = copy('level'), box = one(criterion, '[data-bga-levels]');
    const existing = Array.prototype.map.call(box.querySelectorAll('[data-bga-level-points]'), points).filter((v) => v !== null);
    one(level, '[data-bga-level-points]').value = existing.length ? Math.max.apply(null, existing) + 1 : 0;
    box.appendChild(level);
    return level;
  }

  function move(row, step, clicked) {
    const other = step < 0 ? row.previousElementSibling : row.nextElementSibling;
    if (!other) { return; }
    row.parentNode.insertBefore(step < 0 ? row : other, step < 0 ? other : row);
    refresh();
    (clicked.disabled ? button(row, clicked.dataset.bgaAction, String(-step)) : clicked).focus();
    say(gettext('Moved.'));
  }

  function remove(row, fallback, message) {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.parentNode.removeChild(row);
    refresh();
    (next ? one(next, 'input') : fallback).focus();
    say(message);
  }

  form.addEventListener('click', (event) => {
    const clicked = event.target.closest('[data-bga-action]');
    if (!clicked || !form.contains(clicked)) { return; }
    const action = clicked.dataset.bgaAction, step = Number(clicked.dataset.bgaStep || 0);
    const criterion = clicked.closest('[data-bga-criterion]'), level = clicked.closest('[data-bga-level]');
    const addCriterion = button(form, 'add-criterion'), addGroup = button(form, 'add-group');
    if (action === 'cancel') { cancel(); return; }
    if (action === 'add-criterion') {
      const row = copy('criterion');
      criteriaBox.appendChild(row);
      refresh();
      one(row, 'input').focus();
    } else if (action === 'add-level') {
      const row = addLevel(criterion);
      refresh();
      one(row, 'input').focus();
    } else if (action === 'add-group') {
      const row = copy('group');
      groupsBox.appendChild(row);
      refresh();
      one(row, 'input').focus();
    } else if (action === 'move-criterion') {
      move(criterion, step, clicked);
    } else if (action === 'move-level') {
      move(level, step, clicked);
    } else if (action === 'remove-criterion') {
      remove(criterion, addCriterion, gettext('Criterion removed.'));
    } else if (action === 'remove-level') {
      remove(level, button(criterion, 'add-level'), gettext('Level removed.'));
    } else if (action === 'remove-group') {
      remove(clicked.closest('[data-bga-group]'), addGroup, gettext('Group removed.'));
    }
  });
  form.addEventListener('input', (event) => {
    if (event.target.matches('[data-bga-level-points]')) { showMaximum(); }
  });
  form.addEventListener('submit', (event) => { event.preventDefault(); save(event.submitter); });
  refresh();
}
