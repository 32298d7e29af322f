/* Shared by every block: BlendedXBlocks.block(runtime, element, args) gives handler calls that say their
   errors, a pager, translations, dates, DOM building, all inside `element` (Studio's save: studio.js). */
(() => {
  'use strict';
  if (window.BlendedXBlocks) { return; }
  const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : '';
  }

  /* A translator over the catalogue the server sent in the init arguments. */
  function i18n(catalogue = {}) {
    const gettext = (msgid) => has(catalogue, msgid) ? catalogue[msgid] : msgid;
    const format = (text, params) => text.replace(/\{(\w+)\}/g, (whole, key) => params && has(params, key) ? String(params[key]) : whole);
    return { gettext, format };
  }

  /* On a preview page every handler URL carries preview=1: the server refuses writes. */
  function handlerUrl(runtime, element, handler, query) {
    const q = [query, element.querySelector('[data-blended-preview]') && 'preview=1'].filter(Boolean).join('&');
    const url = runtime.handlerUrl(element, handler);
    return q ? url + (url.indexOf('?') < 0 ? '?' : '&') + q : url;
  }

  const refusal = (status, code) => ({ ok: false, status, data: { error: { code, message: '' } } });

  /* {ok, status, data}; no network, or an answer that is not a JSON object (a proxy's error page), is a refusal. */
  async function post(runtime, element, handler, body, json) {
    const headers = { 'X-CSRFToken': csrfToken(), 'X-Requested-With': 'XMLHttpRequest' };
    if (json) { headers['Content-Type'] = 'application/json'; }
    let response, data = null;
    try {
      response = await fetch(handlerUrl(runtime, element, handler), { method: 'POST', credentials: 'same-origin', headers, body });
    } catch (e) {
      return refusal(0, 'network');
    }
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    return data && typeof data === 'object' ? { ok: response.ok, status: response.status, data } : refusal(response.status, 'not_json');
  }

  /* DOM without HTML strings: el('p', {className: 'x', onclick: f}, ['text', child]). */
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    Object.keys(attrs).forEach((key) => {
      const value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === 'className') { node.className = value; }
      else if (key === 'text') { node.textContent = value; }
      else if (key.indexOf('on') === 0 && typeof value === 'function') { node.addEventListener(key.slice(2), value); }
      else { node.setAttribute(key, value === true ? '' : value); }
    });
    children.forEach((child) => {
      if (child !== null && child !== undefined && child !== false) { node.append(child); }
    });
    return node;
  }

  /* A date-time in an IANA time zone and language, e.g. "Mon 16 May 2022, 11:00 GMT+3". */
  function formatDateTime(iso, timeZone, language) {
    if (!iso) { return ''; }
    try {
      return new Intl.DateTimeFormat(language || undefined, {
        weekday: 'short', year: 'numeric', month: 'long', day: 'numeric',
        hour: '2-digit', minute: '2-digit', timeZone: timeZone || undefined, timeZoneName: 'short'
      }).format(new Date(iso));
    } catch (e) {
      return new Date(iso).toISOString();
    }
  }

  function browserTimeZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch (e) { return 'UTC'; }
  }

  /* The block's live region (role=status) says it; an error at once (assertive). */
  function announce(element, message, isError) {
    const region = element.querySelector('[data-blended-status]');
    if (!region) { return; }
    region.setAttribute('aria-live', isError ? 'assertive' : 'polite');
    region.textContent = message || '';
    region.classList.toggle('blended-status--error', !!isError);
  }

  function errorMessage(result, t) {
    const error = result.data.error || {};
    if (error.message) { return error.message; }
    if (result.status === 413) { return t.gettext('This file is larger than the server accepts.'); }
    return error.code === 'not_json' ? t.format(t.gettext('The server could not answer (error {status}). Try again in a moment.'), result)
      : t.gettext('Something went wrong. Check your connection and try again.');
  }

  function block(runtime, element, args) {
    const t = i18n(args.i18n), { gettext, format } = t, zone = args.userTimezone || browserTimeZone();
    const say = (message, isError) => announce(element, message, isError);
    const explain = (result) => errorMessage(result, t);

    /* Resolves to the answer's data, or to null once the refusal is said in the status region,
       unless options.refused(error, result) returns true (the block said it its own way).
       options.button is disabled while in flight, so a double click sends one request. */
    async function send(handler, body, json, { button, refused } = {}) {
      const was = button && button.disabled;
      if (button) { button.disabled = true; }
      const result = await post(runtime, element, handler, json ? JSON.stringify(body || {}) : body, json);
      if (button) { button.disabled = was; }
      if (result.ok) { return result.data; }
      if (!(refused && refused(result.data.error || {}, result))) { say(explain(result), true); }
      return null;
    }

    /* "Page X of Y" and previous/next: the template's <button> <span> <button> in `node`.
       go(page) returns the call's promise; show(data) reads total (or count), page, page_size.
       One page hides the pager, unless `label` tells the {total}. */
    function pager(node, go, label = gettext('Page {page} of {pages}')) {
      const [prev, next] = node.querySelectorAll('button'), text = node.querySelector('span:not([hidden])');
      node.classList.add('blended-pager');
      text.setAttribute('aria-live', 'polite');
      let page = 1, pages = 1, waiting = false;
      const move = (step) => {
        if (waiting || page + step < 1 || page + step > pages) { return; }
        waiting = true;
        const done = () => { waiting = false; };
        Promise.resolve(go(page + step)).then(done, done);
      };
      prev.addEventListener('click', () => move(-1));
      next.addEventListener('click', () => move(1));
      return {
        show(data) {
          const total = Number(data.total !== undefined ? data.total : data.count) || 0, focused = document.activeElement;
          page = Number(data.page) || 1;
          pages = Math.max(1, Math.ceil(total / (Number(data.page_size) || 1)));
          text.textContent = format(label, { page, pages, total });
          prev.disabled = page <= 1;
          next.disabled = page >= pages;
          node.hidden = pages <= 1 && label.indexOf('{total}') < 0;
          /* The key pressed ended the list: keyboard focus moves to the other button, not to the page. */
          if ((focused === prev || focused === next) && focused.disabled) { (focused === prev ? next : prev).focus(); }
        }
      };
    }

    const call = (handler, body, options) => send(handler, body, true, options);
    return {
      gettext, format, el, say, call, pager, zone, explain,
      upload: (handler, formData, options) => send(handler, formData, false, options),
      $: (selector) => element.querySelector(selector),
      url: (handler, query) => handlerUrl(runtime, element, handler, query),
      when: (iso, timeZone) => formatDateTime(iso, timeZone || zone, args.language),
      items: (data, key) => data[key] || data.items || []
    };
  }

  window.BlendedXBlocks = { block, handlerUrl };
})();
