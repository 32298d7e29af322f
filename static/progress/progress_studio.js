/* blended_progress in Studio: the settings form, its requirements (add, reorder, remove) and, for
   each, a picker of the course's blocks that fit its kind (checkboxes), the chosen blocks in order
   (move up/down, remove) and k of n. If the course's blocks cannot be listed, each requirement
   takes blocks typed as type/url_name instead. Plain ES2017; scoped to `element`; the server
   checks everything again. */
function BlendedProgressStudio(runtime, element, args) {
  'use strict';
  const { el, gettext, format, call, save, cancel } = window.BlendedXBlocks.studio(runtime, element, args);
  const form = element.querySelector('[data-pg-studio]');
  const list = form.querySelector('[data-pg-list]');
  const template = form.querySelector('[data-pg-row]');
  const courseNote = form.querySelector('[data-pg-course-note]');
  let course = null; // {blocks, byName, truncated, total, limit} once listed
  let failed = false; // the list could not be loaded: blocks are typed by name
  const controllers = new WeakMap();

  function words(text) { return String(text || '').split(/\s+/).filter(Boolean); }
  function titleOf(name) {
    const block = course && course.byName[name];
    return block && block.title ? block.title : name;
  }

  function addRow(requirement) {
    const row = template.content.firstElementChild.cloneNode(true);
    const q = (selector) => row.querySelector(selector);
    const picked = Array.isArray(requirement.blocks) ? requirement.blocks.slice() : words(requirement.blocks);
    const kind = q('[data-key="kind"]');
    const pickedList = q('[data-pg-picked]');
    const picker = q('[data-pg-picker]');
    const choices = q('[data-pg-choices]');
    const filter = q('[data-pg-filter]');
    const typed = q('[data-pg-typed]');
    const minimum = q('[data-key="min"]');

    row.querySelectorAll('[data-key]').forEach((input) => {
      const value = requirement[input.getAttribute('data-key')];
      if (input.type === 'checkbox') { input.checked = value === true || value === 'true'; }
      else { input.value = value === null || value === undefined ? '' : value; }
    });

    function fits(name) {
      const block = course && course.byName[name];
      return !block || block.kinds.indexOf(kind.value) >= 0; // an unlisted block: the server decides
    }

    function move(name, step, action) {
      const index = picked.indexOf(name);
      const target = index + step;
      if (target < 0 || target >= picked.length) { return; }
      picked.splice(index, 1);
      picked.splice(target, 0, name);
      renderPicked({ name: name, action: action });
    }

    function unpick(name) {
      const index = picked.indexOf(name);
      picked.splice(index, 1);
      renderPicked({ index: Math.min(index, picked.length - 1) });
      renderChoices();
    }

    function renderPicked(focus) {
      pickedList.textContent = '';
      if (!picked.length) { pickedList.appendChild(el('li', { text: gettext('No block chosen yet.') })); }
      picked.forEach((name, index) => {
        const title = titleOf(name);
        let note = null;
        if (course && !course.byName[name] && !course.truncated) { note = gettext('This course has no such block.'); }
        else if (!fits(name)) { note = gettext('This block does not fit this kind.'); }
        const button = (label, action, onclick, disabled) => {
          return el('button', { type: 'button', className: 'blended-secondary', 'data-action': action, disabled: disabled,
            'aria-label': format(gettext('{action}: {block}'), { action: label, block: title }), onclick: onclick }, [label]);
        };
        pickedList.appendChild(el('li', { 'data-block': name }, [
          el('span', { dir: 'auto', text: title }), ' ', el('code', { dir: 'ltr', text: name }),
          note ? el('strong', { className: 'bpg-picked-problem', text: ' ' + note }) : null, ' ',
          button(gettext('Move up'), 'up', () => { move(name, -1, 'up'); }, index === 0),
          ' ',
          button(gettext('Move down'), 'down', () => { move(name, 1, 'down'); }, index === picked.length - 1),
          ' ',
          button(gettext('Remove'), 'remove', () => { unpick(name); }, false)
        ]));
      });
      const count = picked.length;
      q('[data-pg-of]').textContent = format(gettext('Blocks chosen: {count}'), { count: count });
      minimum.max = count || '';
      if (!focus) { return; }
      const item = focus.name ? pickedList.querySelector('[data-block="' + CSS.escape(focus.name) + '"]')
        : pickedList.children[focus.index];
      const target = item && (item.querySelector('[data-action="' + focus.action + '"]:not([disabled])') ||
        item.querySelector('button:not([disabled])'));
      (target || picker.querySelector('summary')).focus();
    }

    function renderChoices() {
      if (!picker.open) { return; }
      const note = q('[data-pg-picker-note]');
      choices.textContent = '';
      if (!course) { note.textContent = gettext("Loading the course's blocks…"); return; }
      const needle = filter.value.trim().toLowerCase();
      const groups = {};
      const order = [];
      course.blocks.forEach((block) => {
        if (block.kinds.indexOf(kind.value) < 0) { return; }
        if (needle && (block.title + ' ' + block.block).toLowerCase().indexOf(needle) < 0) { return; }
        if (!groups[block.type]) { groups[block.type] = []; order.push(block.type); }
        groups[block.type].push(block);
      });
      order.forEach((type) => {
        choices.appendChild(el('fieldset', { className: 'bpg-choices' }, [
          el('legend', { dir: 'ltr', text: type })
        ].concat(groups[type].map((block) => {
          const box = el('input', { type: 'checkbox', value: block.block, checked: picked.indexOf(block.block) >= 0 });
          box.addEventListener('change', () => {
            if (box.checked && picked.indexOf(block.block) < 0) { picked.push(block.block); }
            if (!box.checked && picked.indexOf(block.block) >= 0) { picked.splice(picked.indexOf(block.block), 1); }
            renderPicked();
          });
          return el('label', { className: 'bpg-choice' }, [box, ' ', el('span', { dir: 'auto', text: block.title || block.block }),
            ' ', el('code', { dir: 'ltr', text: block.block })]);
        }))));
      });
      const shown = order.reduce((sum, type) => sum + groups[type].length, 0);
      note.textContent = shown ? format(gettext('Blocks that fit this kind: {count}'), { count: shown })
        : gettext('No block of this course fits this kind.');
    }

    function showTyped(visible) {
      q('[data-pg-fallback]').hidden = !visible;
    }

    kind.addEventListener('change', () => { renderChoices(); renderPicked(); });
    filter.addEventListener('input', renderChoices);
    picker.addEventListener('toggle', renderChoices);
    q('[data-pg-up]').addEventListener('click', () => {
      if (row.previousElementSibling) { list.insertBefore(row, row.previousElementSibling); renumber(); q('[data-pg-up]').focus(); }
    });
    q('[data-pg-down]').addEventListener('click', () => {
      if (row.nextElementSibling) { list.insertBefore(row.nextElementSibling, row); renumber(); q('[data-pg-down]').focus(); }
    });
    q('[data-pg-remove]').addEventListener('click', () => {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      (next ? next.querySelector('[data-key="id"]') : form.querySelector('[data-pg-add]')).focus();
    });

    controllers.set(row, {
      listed: () => {
        if (course.truncated) { showTyped(true); }
        renderPicked();
        renderChoices();
      },
      unlisted: () => {
        q('[data-pg-picked-area]').hidden = true;
        typed.value = picked.join(' ');
        showTyped(true);
      },
      blocks: () => {
        if (failed) { return words(typed.value); }
        return picked.concat(words(typed.value).filter((name) => picked.indexOf(name) < 0));
      }
    });
    list.appendChild(row);
    renderPicked();
    renumber();
    if (failed) { controllers.get(row).unlisted(); } else if (course) { controllers.get(row).listed(); }
    return row;
  }

  function renumber() {
    Array.prototype.forEach.call(list.children, (row, index) => {
      const n = { n: index + 1 };
      row.querySelector('[data-pg-legend]').textContent = format(gettext('Requirement {n}'), n);
      row.querySelector('[data-pg-up]').textContent = gettext('Move up');
      row.querySelector('[data-pg-up]').setAttribute('aria-label', format(gettext('Move up: requirement {n}'), n));
      row.querySelector('[data-pg-down]').textContent = gettext('Move down');
      row.querySelector('[data-pg-down]').setAttribute('aria-label', format(gettext('Move down: requirement {n}'), n));
      row.querySelector('[data-pg-remove]').textContent = gettext('Remove');
      row.querySelector('[data-pg-remove]').setAttribute('aria-label', format(gettext('Remove requirement {n}'), n));
    });
  }

  function requirements() {
    return Array.prototype.map.call(list.children, (row) => {
      const item = {};
      row.querySelectorAll('[data-key]').forEach((input) => {
        const key = input.getAttribute('data-key');
        item[key] = input.type === 'checkbox' ? (input.checked ? 'true' : '') : input.value.trim();
      });
      item.blocks = controllers.get(row).blocks();
      return item;
    });
  }

  function eachRow(name) {
    Array.prototype.forEach.call(list.children, (row) => { controllers.get(row)[name](); });
  }

  JSON.parse(form.getAttribute('data-pg-requirements') || '[]').forEach(addRow);
  call('course_blocks', {}, { refused: () => true }).then((listed) => {
    if (!listed || !Array.isArray(listed.blocks)) {
      failed = true;
      courseNote.textContent = gettext("The course's blocks could not be listed: name them as type/url_name.");
      courseNote.hidden = false;
      eachRow('unlisted');
      return;
    }
    course = listed;
    course.byName = {};
    course.blocks.forEach((block) => { course.byName[block.block] = block; });
    if (course.truncated) {
      courseNote.textContent = format(gettext('The course has {total} blocks; the first {limit} are listed. Name others as type/url_name.'),
        { total: course.total, limit: course.limit });
      courseNote.hidden = false;
    }
    eachRow('listed');
  });

  form.querySelector('[data-pg-add]').addEventListener('click', () => {
    addRow({ kind: 'completion' }).querySelector('[data-key="id"]').focus();
  });
  form.querySelector('[data-pg-cancel]').addEventListener('click', cancel);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const e = form.elements;
    const values = {
      display_name: e.display_name.value, certificate_title: e.certificate_title.value, issuer: e.issuer.value,
      release: e.release.value, timezone: e.timezone.value, weight: parseInt(e.weight.value || '0', 10),
      requirements: requirements()
    };
    save('submit_studio_edits', { values }, { button: event.submitter });
  });
}
