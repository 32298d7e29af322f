/* blended_application in Studio: the call's settings, its questions (the rules of each kind shown
   for the kind chosen) and review criteria; add, reorder, remove. Plain ES2017; scoped to
   `element`; the server checks everything again and names the field it refuses. */
function BlendedApplicationStudio(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks;
  var t = B.i18n(args.i18n);
  var form = element.querySelector('[data-ap-studio]');
  var notify = function (name, data) { if (runtime.notify) { runtime.notify(name, data); } };
  var names = {
    questions: { item: t.gettext('Question {n}'), up: t.gettext('Move up: question {n}'),
      down: t.gettext('Move down: question {n}'), remove: t.gettext('Remove question {n}') },
    criteria: { item: t.gettext('Criterion {n}'), up: t.gettext('Move up: criterion {n}'),
      down: t.gettext('Move down: criterion {n}'), remove: t.gettext('Remove criterion {n}') }
  };
  var buttons = [['[data-ap-up]', t.gettext('Move up'), 'up'], ['[data-ap-down]', t.gettext('Move down'), 'down'],
    ['[data-ap-remove]', t.gettext('Remove'), 'remove']];

  function list(kind) { return form.querySelector('[data-ap-list="' + kind + '"]'); }

  function renumber(kind) {
    Array.prototype.forEach.call(list(kind).children, function (row, index) {
      var n = { n: index + 1 };
      row.querySelector('[data-ap-legend]').textContent = t.format(names[kind].item, n);
      buttons.forEach(function (button) {
        var node = row.querySelector(button[0]);
        node.textContent = button[1];
        node.setAttribute('aria-label', t.format(names[kind][button[2]], n));
      });
    });
  }

  function showKind(row) {
    var kind = row.querySelector('[data-key="kind"]').value;
    row.querySelectorAll('[data-ap-for]').forEach(function (part) {
      part.hidden = part.getAttribute('data-ap-for').split(' ').indexOf(kind) < 0;
    });
  }

  function addRow(kind, item) {
    var template = form.querySelector('[data-ap-row="' + kind + '"]');
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll('[data-key]').forEach(function (input) {
      var value = item[input.getAttribute('data-key')];
      if (input.type === 'checkbox') { input.checked = value === true; }
      else if (value !== undefined && value !== null) { input.value = value; }
    });
    var choices = row.querySelector('[data-ap-choices]');
    if (choices) {
      choices.value = (item.choices || []).map(function (choice) { return choice.value + ' = ' + choice.label; }).join('\n');
      row.querySelector('[data-key="kind"]').addEventListener('change', function () { showKind(row); });
      showKind(row);
    }
    var here = list(kind);
    row.querySelector('[data-ap-up]').addEventListener('click', function () {
      if (row.previousElementSibling) { here.insertBefore(row, row.previousElementSibling); renumber(kind); row.querySelector('[data-ap-up]').focus(); }
    });
    row.querySelector('[data-ap-down]').addEventListener('click', function () {
      if (row.nextElementSibling) { here.insertBefore(row.nextElementSibling, row); renumber(kind); row.querySelector('[data-ap-down]').focus(); }
    });
    row.querySelector('[data-ap-remove]').addEventListener('click', function () {
      var next = row.nextElementSibling || row.previousElementSibling;
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
    return Array.prototype.map.call(list(kind).children, function (row) {
      var item = {};
      row.querySelectorAll('[data-key]').forEach(function (input) {
        var part = input.closest('[data-ap-for]');
        if (part && part.hidden) { return; }
        var key = input.getAttribute('data-key');
        if (input.type === 'checkbox') { item[key] = input.checked; }
        else if (input.type === 'number') { if (input.value.trim() !== '') { item[key] = number(input.value.trim()); } }
        else { item[key] = input.value.trim(); }
      });
      var choices = row.querySelector('[data-ap-choices]');
      if (choices && !choices.closest('[data-ap-for]').hidden) {
        item.choices = choices.value.split('\n').map(function (line) { return line.trim(); }).filter(Boolean)
          .map(function (line) {
            var at = line.indexOf('=');
            var value = (at < 0 ? line : line.slice(0, at)).trim();
            return { value: value, label: (at < 0 ? value : line.slice(at + 1)).trim() };
          });
      }
      return item;
    });
  }

  JSON.parse(form.getAttribute('data-ap-questions') || '[]').forEach(function (item) { addRow('questions', item); });
  JSON.parse(form.getAttribute('data-ap-criteria') || '[]').forEach(function (item) { addRow('criteria', item); });
  form.querySelector('[data-ap-add="questions"]').addEventListener('click', function () {
    addRow('questions', { kind: 'text', max_length: 3000 }).querySelector('[data-key="id"]').focus();
  });
  form.querySelector('[data-ap-add="criteria"]').addEventListener('click', function () {
    addRow('criteria', { points: 5 }).querySelector('[data-key="id"]').focus();
  });
  form.querySelector('[data-ap-cancel]').addEventListener('click', function () { notify('cancel', {}); });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var e = form.elements;
    var values = {
      display_name: e.display_name.value, description: e.description.value, opens: e.opens.value,
      deadline: e.deadline.value, timezone: e.timezone.value, places: number(e.places.value.trim()) || 0,
      waitlist: e.waitlist.checked, offer_days: number(e.offer_days.value.trim()) || 0, cohort: e.cohort.value,
      agreement: e.agreement.value.trim(), agreement_required: e.agreement_required.checked,
      questions: read('questions'), criteria: read('criteria')
    };
    notify('save', { state: 'start' });
    B.call(runtime, element, 'submit_studio_edits', { values: values }).then(function (result) {
      if (!result.ok) {
        B.announce(form, B.errorMessage(result, t), true);
        notify('error', { title: t.gettext('Not saved'), message: B.errorMessage(result, t) });
        return;
      }
      B.announce(form, t.gettext('Saved.'));
      notify('save', { state: 'end' });
    });
  });
}
