/* blended_progress in Studio: the settings form and its list of requirements (add, reorder, remove).
   Plain ES2017; scoped to `element`; the server checks everything again. */
function BlendedProgressStudio(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks;
  var t = B.i18n(args.i18n);
  var form = element.querySelector('[data-pg-studio]');
  var list = form.querySelector('[data-pg-list]');
  var template = form.querySelector('[data-pg-row]');
  var notify = function (name, data) { if (runtime.notify) { runtime.notify(name, data); } };

  function addRow(requirement) {
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll('[data-key]').forEach(function (input) {
      var value = requirement[input.getAttribute('data-key')];
      if (input.type === 'checkbox') { input.checked = !!value; }
      else if (Array.isArray(value)) { input.value = value.join(' '); }
      else { input.value = value === null || value === undefined ? '' : value; }
    });
    row.querySelector('[data-pg-up]').addEventListener('click', function () { if (row.previousElementSibling) { list.insertBefore(row, row.previousElementSibling); } });
    row.querySelector('[data-pg-down]').addEventListener('click', function () { if (row.nextElementSibling) { list.insertBefore(row.nextElementSibling, row); } });
    row.querySelector('[data-pg-remove]').addEventListener('click', function () { row.remove(); });
    list.appendChild(row);
    return row;
  }

  function requirements() {
    return Array.prototype.map.call(list.children, function (row) {
      var item = {};
      row.querySelectorAll('[data-key]').forEach(function (input) {
        var key = input.getAttribute('data-key');
        if (input.type === 'checkbox') { item[key] = input.checked ? 'true' : ''; }
        else if (key === 'blocks') { item[key] = input.value.split(/\s+/).filter(Boolean); }
        else { item[key] = input.value.trim(); }
      });
      return item;
    });
  }

  JSON.parse(form.getAttribute('data-pg-requirements') || '[]').forEach(addRow);
  form.querySelector('[data-pg-add]').addEventListener('click', function () {
    addRow({ kind: 'completion' }).querySelector('input').focus();
  });
  form.querySelector('[data-pg-cancel]').addEventListener('click', function () { notify('cancel', {}); });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var e = form.elements;
    var values = {
      display_name: e.display_name.value, certificate_title: e.certificate_title.value, issuer: e.issuer.value,
      release: e.release.value, timezone: e.timezone.value, weight: parseInt(e.weight.value || '0', 10),
      requirements: requirements()
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
