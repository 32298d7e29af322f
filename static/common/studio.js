/* Studio editors only (loaded after blended.js): BlendedXBlocks.studio(runtime, element, args) is
   BlendedXBlocks.block() with save and cancel, which tell the Studio runtime what happened. */
(() => {
  'use strict';
  const B = window.BlendedXBlocks;
  if (B.studio) { return; }

  B.studio = (runtime, element, args) => {
    const kit = B.block(runtime, element, args), { gettext, say, call, explain } = kit;
    const notify = (name, data) => { if (runtime.notify) { runtime.notify(name, data); } };
    /* The runtime hears the save start and end, or an error titled "Not saved". */
    async function save(handler, body, options = {}) {
      let said = '';
      notify('save', { state: 'start' });
      const data = await call(handler, body, Object.assign({}, options, { refused: (error, result) => {
        said = explain(result);
        return !!(options.refused && options.refused(error, result));
      } }));
      if (data) { say(gettext('Saved.')); notify('save', { state: 'end' }); } else if (said) { notify('error', { title: gettext('Not saved'), message: said }); }
      return data;
    }
    return Object.assign(kit, { save, cancel: () => notify('cancel', {}) });
  };
})();
