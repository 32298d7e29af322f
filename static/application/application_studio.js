/* blended_application in Studio: the call's settings, its questions (the rules of each kind shown
   for the kind chosen) and review criteria; add, reorder, remove. Plain ES2017; scoped to
   `element`; the server checks everything again and names the field it refuses. */
function BlendedApplicationStudio(runtime, element, args) {
  'use strict';
  const { gettext, format, save, cancel } = window.BlendedXBlocks.studio(runtime, element, args);
  const form = element.querySelector('[data-ap-studio]');
  const names = {
    questions: { item: gettext('Question {n}'), up: gettext('Move up: question {n}'),
      down: gettext('Move down: question {n}'), remove: gettext('Remove question {n}') },
    criteria: { item: gettext('Criterion {n}'), up: gettext('Move up: criterion {n}'),
      down: gettext('Move down: criterion {n}'), remove: gettext('Remove criterion {n}') }
  };
  const buttons = [['[data-ap-up]', gettext('Move up'), 'up'], ['[data-ap-down]', gettext('Move down'), 'down'],
    ['[data-ap-remove]', gettext('Remove'), 'remove']];

  function list(kind) { return form.querySelector('[data-ap-list="' + kind + '"]'); }

  function renumber(kind) {
    Array.prototype.forEach.call(list(kind).children, (row, index) => {
      const n = { n: index + 1 };
      row.querySelector('[data-ap-legend]').textContent = format(names[kind].item, n);
      buttons.forEach((button) => {
        const node = row.querySelector(button[0]);
        node.textContent = button[1];
        node.setAttribute('aria-label', format(names[kind][button[2]], n));
      });
    });
  }

  function showKind(row) {
    const kind = row.querySelector('[data-key="kind"]').value;
    row.querySelectorAll('[data-ap-for]').forEach((part) => {
      part.hidden = part.getAttribute('data-ap-for').split(' ').indexOf(kind) < 0;
    });
  }

  function addRow(kind, item) {
    const template = form.querySelector('[data-ap-row="' + kind + '"]');
    const row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll('[data-key]').forEach((input) => {
      const value = item[input.getAttribute('data-key')];
      if (input.type === 'checkbox') { input.checked = value === true; }
      else if (value !== undefined && value !== null) { input.value = value; }
    });
    const choices = row.querySelector('[data-ap-choices]');
    if (choices) {
      choices.value = (item.choices || []).map((choice) => choice.value + ' = ' + choice.label).join('\n');
      row.querySelector('[data-key="kind"]').addEventListener('change', () => { showKind(row); });
      showKind(row);
    }
    const here = list(kind);
    row.querySelector('[data-ap-up]').addEventListener('click', () => {
      if (row.previousElementSibling) { here.insertBefore(row, row.previousElementSibling); renumber(kind); row.querySelector('[data-ap-up]').focus(); }
    });
    row.querySelector('[data-ap-down]').addEventListener('click', () => {
      if (row.nextElementSibling) { here.insertBefore(row.nextElementSibling, row); renumber(kind); row.querySelector('[data-ap-down]').focus(); }
    });
    row.querySelector('[data-ap-remove]').addEventListener('click', () => {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber(kind);
      (next ? next.querySelector('[data-key="id"]') : form.querySelector('[data-ap-add="' + kind + '"]')).focus();
    });
    here.appendChild(row);
    renumber(kind);
    return row;
  }

  function number(text) { return text === '' ? undefined : Number(text); }

  function read(kind) {
    return Array.prototype.map.call(list(kind).children, (row) => {
      const item = {};
      row.querySelectorAll('[data-key]').forEach((input) => {
        const part = input.closest('[data-ap-for]');
        if (part && part.hidden) { return; }
        const key = input.getAttribute('data-key');
        if (input.type === 'checkbox') { item[key] = input.checked; }
        else if (input.type === 'number') { if (input.value.trim() !== '') { item[key] = number(input.value.trim()); } }
        else { item[key] = input.value.trim(); }
      });
      const choices = row.querySelector('[data-ap-choices]');
      if (choices && !choices.closest('[data-ap-for]').hidden) {
        item.choices = choices.value.split('\n').map((line) => line.trim()).filter(Boolean)
          .map((line) => {
            const at = line.indexOf('=');
            const value = (at < 0 ? line : line.slice(0, at)).trim();
            return { value: value, label: (at < 0 ? value : line.slice(at + 1)).trim() };
          });
      }
      return item;
    });
  }

  JSON.parse(form.getAttribute('data-ap-questions') || '[]').forEach((item) => { addRow('questions', item); });
  JSON.parse(form.getAttribute('data-ap-criteria') || '[]').forEach((item) => { addRow('criteria', item); });
  form.querySelector('[data-ap-add="questions"]').addEventListener('click', () => {
    addRow('questions', { kind: 'text', max_length: 3000 }).querySelector('[data-key="id"]').focus();
  });
  form.querySelector('[data-ap-add="criteria"]').addEventListener('click', () => {
    addRow('criteria', { points: 5 }).querySelector('[data-key="id"]').focus();
  });
  form.querySelector('[data-ap-cancel]').addEventListener('click', cancel);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const e = form.elements;
    const values = {
      display_name: e.display_name.value, description: e.description.value, opens: e.opens.value,
      deadline: e.deadline.value, timezone: e.timezone.value, places: number(e.places.value.trim()) || 0,
      waitlist: e.waitlist.checked, offer_days: number(e.offer_days.value.trim()) || 0, cohort: e.cohort.value,
      agreement: e.agreement.value.trim(), agreement_required: e.agreement_required.checked,
      questions: read('questions'), criteria: read('criteria')
    };
    save('submit_studio_edits', { values }, { button: event.submitter });
  });
}
