/* blended_experience_sharing: learner text comes as segments, built into DOM nodes; staff's page adds
   experience_sharing_staff.js (moderation). Three parameters: runtimes count them. */
function BlendedExperienceSharing(runtime, element, args) {
  'use strict';
  return BlendedExperienceSharingBoard(runtime, element, args, null);
}

function BlendedExperienceSharingBoard(runtime, element, args, staff) {
  'use strict';
  const { $, el, gettext, format: f, say, call: send, pager, when } = window.BlendedXBlocks.block(runtime, element, args);
  const form = $('[data-form]'), list = $('[data-posts]');
  const view = { page: 1, sort: 'newest', tag: null };
  let editing = null, state;
  if (!form || !args.signed_in) { return; }
  const heading = $('[data-form-heading]'), submit = $('[data-submit]'), blank = [heading.textContent, submit.textContent];
  const pages = pager($('[data-pager]'), (page) => { view.page = page; return load(); });

  /* done(data) runs once the handler answers; the button that asked is disabled meanwhile. */
  const call = (name, body, done, button) => send(name, body, { button }).then((data) => data && done(data));
  const text = (segments) => segments.map((s) => s[0] === 'br' ? el('br') : s[0] === 'a' && /^https?:\/\//i.test(s[1])
    ? el('a', { href: s[1], rel: 'nofollow noopener ugc', target: '_blank', text: s[1] }) : s[1]);
  const button = (label, onclick, extra) => el('button', Object.assign({ type: 'button', className: 'blended-secondary', text: label,
    onclick: (event) => onclick(event.currentTarget) }, extra));
  const who = (name, mine) => mine ? f(gettext('{name} (you)'), { name }) : name;
  const statuses = { pending: gettext('Awaiting approval'), hidden: gettext('Hidden') };
  const tools = staff ? staff({ call, button, load, statuses }) : { post: () => [], reply: () => null };

  function renderReply(reply) {
    return el('li', { className: 'bes-reply' + (reply.hidden ? ' bes-hidden' : '') }, [
      el('p', { className: 'bes-meta' }, [el('strong', { text: who(reply.author || gettext('Author (anonymous)'), reply.mine) }), ' · ', when(reply.created),
        reply.hidden ? ' · ' + statuses.hidden : null]),
      el('p', { dir: 'auto' }, text(reply.body)),
      tools.reply(reply)
    ]);
  }

  function renderPost(post) {
    const id = args.uid + '-p' + post.id, actions = [], replies = el('ul', { className: 'bes-replies' }, post.replies.map(renderReply));
    if (!post.mine && post.status === 'published') {
      actions.push(button(f(gettext('Useful ({count})'), { count: post.useful_count }), (b) => {
        call('react', { post_id: post.id, useful: !post.useful_by_me }, (d) => {
          say(d.useful_by_me ? gettext('Marked as useful.') : gettext('Mark removed.')); load(post.id);
        }, b);
      }, { 'aria-pressed': String(post.useful_by_me) }));
      actions.push(post.flagged_by_me ? el('span', { text: gettext('Reported') }) : button(gettext('Report'), (b) => {
        const reason = window.prompt(gettext('Why should staff look at this post?'));
        if (reason !== null) {
          call('flag', { post_id: post.id, reason: reason.slice(0, 500) }, () => { say(gettext('Thank you. Staff will look at this post.')); load(post.id); }, b);
        }
      }));
    }
    if (post.mine) {
      actions.push(button(gettext('Edit'), () => startEdit(post)), button(gettext('Delete'), (b) => {
        if (window.confirm(gettext('Delete this post? Replies to it will no longer be shown.'))) {
          call('delete_post', { post_id: post.id, version: post.version }, (d) => { say(gettext('Post deleted.')); showProgress(d.progress); load(); }, b);
        }
      }));
    }
    actions.push(...tools.post(post));
    const replyForm = post.status !== 'published' ? null : el('form', { className: 'bes-reply-form', onsubmit: (event) => {
      event.preventDefault();
      const box = replyForm.querySelector('textarea');
      if (!box.value.trim()) { say(gettext('Write a reply first.'), true); box.focus(); return; }
      call('reply', { post_id: post.id, body: box.value }, (d) => { say(gettext('Reply published.')); showProgress(d.progress); load(post.id); }, event.submitter);
    } }, [el('label', { for: id + 'r', text: gettext('Your reply') }),
      el('textarea', { id: id + 'r', rows: '2', maxlength: '5000', dir: 'auto' }), el('button', { type: 'submit', text: gettext('Reply') })]);
    // A post comes with 20 replies; more come 20 at a time.
    let next = 2;
    const more = post.reply_count > post.replies.length ? button(gettext('Show more replies'), (b) => {
      call('replies', { post_id: post.id, page: next, page_size: 20 }, (d) => {
        replies.append(...d.replies.map(renderReply));
        if (next++ * d.page_size >= d.total) { more.remove(); }
      }, b);
    }) : null;
    return el('li', { className: 'bes-post' + (post.pinned ? ' bes-pinned' : ''), 'data-post': String(post.id) }, [
      el('article', { 'aria-labelledby': id + '-h' }, [
        el('h4', { id: id + '-h', tabindex: '-1', dir: 'auto', text: post.title }),
        el('p', { className: 'bes-meta' }, [el('strong', { text: who(post.author || gettext('Anonymous'), post.mine) }), ' · ', when(post.created)]
          .concat([post.pinned && gettext('Pinned'), post.status !== 'published' && statuses[post.status]]
            .filter(Boolean).map((b) => el('span', { className: 'blended-badge', text: b })))),
        el('div', { className: 'bes-body', dir: 'auto' }, text(post.body)),
        post.tags.length ? el('p', { className: 'bes-tags', text: gettext('Tags:') + ' ' + post.tags.join(', ') }) : null,
        el('div', { className: 'bes-actions' }, actions),
        el('p', { className: 'bes-meta', text: f(gettext('Replies: {count}'), { count: post.reply_count }) }),
        replies, more, replyForm
      ])
    ]);
  }

  function showProgress(progress) {
    const node = $('[data-progress]');
    node.textContent = gettext('Your progress:') + ' ' + progress.text;
    if (progress.completed) { node.append(el('span', { className: 'blended-badge bes-done', text: gettext('Completed') })); }
  }

  function render(focusId) {
    list.textContent = '';
    list.append(...(state.posts.length ? state.posts.map(renderPost) : [el('li', { text: gettext('No posts yet. Be the first to share.') })]));
    showProgress(state.progress);
    pages.show(state);
    const session = state.session, box = $('[data-session]');
    if (session) {
      box.hidden = false; box.textContent = '';
      box.append(el('p', {}, [el('strong', { text: gettext('Live session:') + ' ' }), session.title, ' · ', when(session.start)]));
      if (session.join_url) { box.append(el('a', { href: session.join_url, rel: 'noopener', target: '_blank', text: gettext('Join the live session') })); }
    }
    const target = focusId && list.querySelector('[data-post="' + focusId + '"] h4');
    if (target) { target.focus(); }
  }

  function load(focusId) {
    return call('get_state', view, (d) => { state = d; render(focusId); });
  }

  function startEdit(post) {
    editing = post;
    form.title.value = post.title; form.body.value = post.text || '';
    form.querySelectorAll('[name=tags]').forEach((box) => { box.checked = post.tags.includes(box.value); });
    if (form.anonymous) { form.anonymous.checked = post.anonymous; }
    mode([gettext('Edit your post'), gettext('Save changes')], false);
    form.title.focus();
  }

  function mode([title, action], plain) { heading.textContent = title; submit.textContent = action; $('[data-cancel]').hidden = plain; }
  function resetForm() { editing = null; form.reset(); mode(blank, true); }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const short = form.title.value.trim().length < 3;
    if (short || !form.body.value.trim()) {
      say(gettext('Give your post a title (at least 3 characters) and some text.'), true);
      (short ? form.title : form.body).focus();
      return;
    }
    const body = { title: form.title.value, body: form.body.value,
      tags: [...form.querySelectorAll('[name=tags]:checked')].map((b) => b.value) };
    // No box: an edit keeps the post's anonymity.
    if (form.anonymous) { body.anonymous = form.anonymous.checked; }
    if (editing) { body.post_id = editing.id; body.version = editing.version; }
    call(editing ? 'edit_post' : 'create_post', body, (d) => {
      const post = d.post;
      say(post.status === 'pending' ? gettext('Saved. Your post will appear once staff approve it.') : gettext('Your post is published.'));
      resetForm(); showProgress(d.progress);
      view.page = 1; load(post.id);
    }, event.submitter);
  });
  $('[data-cancel]').addEventListener('click', resetForm);
  [['sort', $('[data-sort]')], ['tag', $('[data-tag]')]].forEach(([key, select]) => {
    if (select) { select.addEventListener('change', (e) => { view[key] = e.target.value || null; view.page = 1; load(); }); }
  });

  state = JSON.parse($('script[type="application/json"]').textContent);
  return state ? render() : load();
}
