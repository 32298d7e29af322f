/* blended_progress in Studio: the settings form, its requirements (add, reorder, remove) and, for
   each, a picker of the course's blocks that fit its kind (checkboxes), the chosen blocks in order
   (move up/down, remove) and k of n. If the course's blocks cannot be listed, each requirement
   takes blocks typed as type/url_name instead. Plain ES2017; scoped to `element`; the server
   checks everything again. */
function BlendedProgressStudio(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks;
  var t = B.i18n(args.i18n);
  var el = B.el;
  var form = element.querySelector('[data-pg-studio]');
  var list = form.querySelector('[data-pg-list]');
  var template = form.querySelector('[data-pg-row]');
  var courseNote = form.querySelector('[data-pg-course-note]');
  var notify = function (name, data) { if (runtime.notify) { runtime.notify(name, data); } };
  var course = null; // {blocks, byName, truncated, total, limit} once listed
  var failed = false; // the list could not be loaded: blocks are typed by name
  var controllers = new WeakMap();

  function words(text) { return String(text || '').split(/\s+/).filter(Boolean); }
  function titleOf(name) {
    var block = course && course.byName[name];
    return block && block.title ? block.title : name;
  }

  function addRow(requirement) {
    var row = template.content.firstElementChild.cloneNode(true);
    var q = function (selector) { return row.querySelector(selector); };
    var picked = Array.isArray(requirement.blocks) ? requirement.blocks.slice() : words(requirement.blocks);
    var kind = q('[data-key="kind"]');
    var pickedList = q('[data-pg-picked]');
    var picker = q('[data-pg-picker]');
    var choices = q('[data-pg-choices]');
    var filter = q('[data-pg-filter]');
    var typed = q('[data-pg-typed]');
    var minimum = q('[data-key="min"]');

    row.querySelectorAll('[data-key]').forEach(function (input) {
      var value = requirement[input.getAttribute('data-key')];
      if (input.type === 'checkbox') { input.checked = value === true || value === 'true'; }
      else { input.value = value === null || value === undefined ? '' : value; }
    });

    function fits(name) {
      var block = course && course.byName[name];
      return !block || block.kinds.indexOf(kind.value) >= 0; // an unlisted block: the server decides
    }

    function move(name, step, action) {
      var index = picked.indexOf(name);
      var target = index + step;
      if (target < 0 || target >= picked.length) { return; }
      picked.splice(index, 1);
      picked.splice(target, 0, name);
      renderPicked({ name: name, action: action });
    }

    function unpick(name) {
      var index = picked.indexOf(name);
      picked.splice(index, 1);
      renderPicked({ index: Math.min(index, picked.length - 1) });
      renderChoices();
    }

    function renderPicked(focus) {
      pickedList.textContent = '';
      if (!picked.length) { pickedList.appendChild(el('li', { text: t.gettext('No block chosen yet.') })); }
      picked.forEach(function (name, index) {
        var title = titleOf(name);
        var note = null;
        if (course && !course.byName[name] && !course.truncated) { note = t.gettext('This course has no such block.'); }
        else if (!fits(name)) { note = t.gettext('This block does not fit this kind.'); }
        var button = function (label, action, onclick, disabled) {
          return el('button', { type: 'button', className: 'blended-secondary', 'data-action': action, disabled: disabled,
            'aria-label': t.format(t.gettext('{action}: {block}'), { action: label, block: title }), onclick: onclick }, [label]);
        };
        pickedList.appendChild(el('li', { 'data-block': name }, [
          el('span', { dir: 'auto', text: title }), ' ', el('code', { dir: 'ltr', text: name }),
          note ? el('strong', { className: 'bpg-picked-problem', text: ' ' + note }) : null, ' ',
          button(t.gettext('Move up'), 'up', function () { move(name, -1, 'up'); }, index === 0),
          ' ',
          button(t.gettext('Move down'), 'down', function () { move(name, 1, 'down'); }, index === picked.length - 1),
          ' ',
          button(t.gettext('Remove'), 'remove', function () { unpick(name); }, false)
        ]));
      });
      var count = picked.length;
      q('[data-pg-of]').textContent = t.format(t.gettext('Blocks chosen: {count}'), { count: count });
      minimum.max = count || '';
      if (!focus) { return; }
      var item = focus.name ? pickedList.querySelector('[data-block="' + CSS.escape(focus.name) + '"]')
        : pickedList.children[focus.index];
      var target = item && (item.querySelector('[data-action="' + focus.action + '"]:not([disabled])') ||
        item.querySelector('button:not([disabled])'));
      (target || picker.querySelector('summary')).focus();
    }

    function renderChoices() {
      if (!picker.open) { return; }
      var note = q('[data-pg-picker-note]');
      choices.textContent = '';
      if (!course) { note.textContent = t.gettext("Loading the course's blocks…"); return; }
      var needle = filter.value.trim().toLowerCase();
      var groups = {};
      var order = [];
      course.blocks.forEach(function (block) {
        if (block.kinds.indexOf(kind.value) < 0) { return; }
        if (needle && (block.title + ' ' + block.block).toLowerCase().indexOf(needle) < 0) { return; }
        if (!groups[block.type]) { groups[block.type] = []; order.push(block.type); }
        groups[block.type].push(block);
      });
      order.forEach(function (type) {
        choices.appendChild(el('fieldset', { className: 'bpg-choices' }, [
          el('legend', { dir: 'ltr', text: type })
        ].concat(groups[type].map(function (block) {
          var box = el('input', { type: 'checkbox', value: block.block, checked: picked.indexOf(block.block) >= 0 });
          box.addEventListener('change', function () {
            if (box.checked && picked.indexOf(block.block) < 0) { picked.push(block.block); }
            if (!box.checked && picked.indexOf(block.block) >= 0) { picked.splice(picked.indexOf(block.block), 1); }
            renderPicked();
          });
          return el('label', { className: 'bpg-choice' }, [box, ' ', el('span', { dir: 'auto', text: block.title || block.block }),
            ' ', el('code', { dir: 'ltr', text: block.block })]);
        }))));
      });
      var shown = order.reduce(function (sum, type) { return sum + groups[type].length; }, 0);
      note.textContent = shown ? t.format(t.gettext('Blocks that fit this kind: {count}'), { count: shown })
        : t.gettext('No block of this course fits this kind.');
    }

    function showTyped(visible) {
      q('[data-pg-fallback]').hidden = !visible;
    }

    kind.addEventListener('change', function () { renderChoices(); renderPicked(); });
    filter.addEventListener('input', renderChoices);
    picker.addEventListener('toggle', renderChoices);
    q('[data-pg-up]').addEventListener('click', function () {
      if (row.previousElementSibling) { list.insertBefore(row, row.previousElementSibling); renumber(); q('[data-pg-up]').focus(); }
    });
    q('[data-pg-down]').addEventListener('click', function () {
      if (row.nextElementSibling) { list.insertBefore(row.nextElementSibling, row); renumber(); q('[data-pg-down]').focus(); }
    });
    q('[data-pg-remove]').addEventListener('click', function () {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      (next ? next.querySelector('[data-key="id"]') : form.querySelector('[data-pg-add]')).focus();
    });

    controllers.set(row, {
      listed: function () {
        if (course.truncated) { showTyped(true); }
        renderPicked();
        renderChoices();
      },
      unlisted: function () {
        q('[data-pg-picked-area]').hidden = true;
        typed.value = picked.join(' ');
        showTyped(true);
      },
      blocks: function () {
        if (failed) { return words(typed.value); }
        return picked.concat(words(typed.value).filter(function (name) { return picked.indexOf(name) < 0; }));
      }
    });
    list.appendChild(row);
    renderPicked();
    renumber();
    if (failed) { controllers.get(row).unlisted(); } else if (course) { controllers.get(row).listed(); }
    return row;
  }

  function renumber() {
    Array.prototype.forEach.call(list.children, function (row, index) {
      var n = { n: index + 1 };
      row.querySelector('[data-pg-legend]').textContent = t.format(t.gettext('Requirement {n}'), n);
      row.querySelector('[data-pg-up]').textContent = t.gettext('Move up');
      row.querySelector('[data-pg-up]').setAttribute('aria-label', t.format(t.gettext('Move up: requirement {n}'), n));
      row.querySelector('[data-pg-down]').textContent = t.gettext('Move down');
      row.querySelector('[data-pg-down]').setAttribute('aria-label', t.format(t.gettext('Move down: requirement {n}'), n));
      row.querySelector('[data-pg-remove]').textContent = t.gettext('Remove');
      row.querySelector('[data-pg-remove]').setAttribute('aria-label', t.format(t.gettext('Remove requirement {n}'), n));
    });
  }

  function requirements() {
    return Array.prototype.map.call(list.children, function (row) {
      var item = {};
      row.querySelectorAll('[data-key]').forEach(function (input) {
        var key = input.getAttribute('data-key');
        item[key] = input.type === 'checkbox' ? (input.checked ? 'true' : '') : input.value.trim();
      });
      item.blocks = controllers.get(row).blocks();
      return item;
    });
  }

  function eachRow(name) {
    Array.prototype.forEach.call(list.children, function (row) { controllers.get(row)[name](); });
  }

  JSON.parse(form.getAttribute('data-pg-requirements') || '[]').forEach(addRow);
  B.call(runtime, element, 'course_blocks', {}).then(function (result) {
    if (!result.ok || !Array.isArray(result.data.blocks)) {
      failed = true;
      courseNote.textContent = t.gettext("The course's blocks could not be listed: name them as type/url_name.");
      courseNote.hidden = false;
      eachRow('unlisted');
      return;
    }
    course = result.data;
    course.byName = {};
    course.blocks.forEach(function (block) { course.byName[block.block] = block; });
    if (course.truncated) {
      courseNote.textContent = t.format(t.gettext('The course has {total} blocks; the first {limit} are listed. Name others as type/url_name.'),
        { total: course.total, limit: course.limit });
      courseNote.hidden = false;
    }
    eachRow('listed');
  });

  form.querySelector('[data-pg-add]').addEventListener('click', function () {
    addRow({ kind: 'completion' }).querySelector('[data-key="id"]').focus();
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
