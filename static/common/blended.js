/* Shared by every blended block: JSON calls, translations, dates, DOM building, announcements.
   Plain ES2017, no framework; everything is scoped to the block's element. */
(function () {
  'use strict';
  if (window.BlendedXBlocks) { return; }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : '';
  }

  /* A translator over the catalogue the server sent in the init arguments. */
  function i18n(catalogue) {
    catalogue = catalogue || {};
    var gettext = function (msgid) { return Object.prototype.hasOwnProperty.call(catalogue, msgid) ? catalogue[msgid] : msgid; };
    var format = function (text, params) {
      return text.replace(/\{(\w+)\}/g, function (whole, key) {
        return params && Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : whole;
      });
    };
    return { gettext: gettext, format: format };
  }
  window.BlendedXBlocksI18N = window.BlendedXBlocksI18N || { i18n: i18n };

  /* A fetch result as {ok, status, data}; network failures become an error body. */
  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      return { ok: response.ok, status: response.status, data: data };
    });
  }
  function offline() { return { ok: false, status: 0, data: { error: { code: 'network', message: '' } } }; }

  /* A handler's URL; on a preview page, with preview=1 (the server refuses writes). */
  function handlerUrl(runtime, element, handler, query) {
    var q = [query, element.querySelector('[data-blended-preview]') && 'preview=1'].filter(Boolean).join('&');
    var url = runtime.handlerUrl(element, handler);
    return q ? url + (url.indexOf('?') < 0 ? '?' : '&') + q : url;
  }

  /* POST JSON (or, for uploads, a FormData) to a handler. */
  function post(runtime, element, handler, body, json) {
    var headers = { 'X-CSRFToken': csrfToken(), 'X-Requested-With': 'XMLHttpRequest' };
    if (json) { headers['Content-Type'] = 'application/json'; }
    return fetch(handlerUrl(runtime, element, handler), { method: 'POST', credentials: 'same-origin', headers: headers, body: body })
      .then(answer, offline);
  }
  function call(runtime, element, handler, body) { return post(runtime, element, handler, JSON.stringify(body || {}), true); }
  function upload(runtime, element, handler, formData) { return post(runtime, element, handler, formData, false); }

  /* Build DOM without HTML strings: el('p', {className: 'x'}, ['text', child]). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === 'className') { node.className = value; }
      else if (key === 'text') { node.textContent = value; }
      else if (key.indexOf('on') === 0 && typeof value === 'function') { node.addEventListener(key.slice(2), value); }
      else { node.setAttribute(key, value === true ? '' : value); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) { return; }
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* A date-time in a given IANA time zone and language, e.g. "Mon 16 May 2022, 11:00 GMT+3". */
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

  /* Say something to screen readers (and show it) in the block's live region. */
  function announce(element, message, isError) {
    var region = element.querySelector('[data-blended-status]');
    if (!region) { return; }
    region.textContent = message || '';
    region.classList.toggle('blended-status--error', !!isError);
  }

  function errorMessage(result, t) {
    var error = result && result.data && result.data.error;
    if (error && error.message) { return error.message; }
    return result && result.status === 413 ? t.gettext('This file is larger than the server accepts.')
      : t.gettext('Something went wrong. Check your connection and try again.');
  }

  window.BlendedXBlocks = {
    call: call, upload: upload, handlerUrl: handlerUrl, el: el, i18n: i18n, formatDateTime: formatDateTime,
    browserTimeZone: browserTimeZone, announce: announce, errorMessage: errorMessage, csrfToken: csrfToken
  };
}());
