// Réplique playground: the customer pane and the review desk, live over server-sent events.
// Plain browser JavaScript, no build step, nothing fetched from elsewhere. Customer text is only
// ever written with textContent: it is data, never markup.
"use strict";

(() => {
  const S = JSON.parse(document.getElementById("ui-strings").textContent);
  // Every time on the page is in the brand's time zone (the cards' status lines use it too).
  const ZONE = document.body.dataset.timezone || undefined;
  const $ = (id) => document.getElementById(id);
  const conversations = new Map(); // id -> {id, name, look, messages: []}
  const cards = new Map(); // card_id -> card JSON as the server sent it
  const shown = new Map(); // card_id -> JSON string of what is drawn, to redraw only changes
  let current = sessionStorage.getItem("replique.conversation");

  const fmt = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

  const el = (tag, options = {}, children = []) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(options)) {
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (value === true) node.setAttribute(key, "");
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };

  const newId = () =>
    (crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)),
      (b) => b.toString(16).padStart(2, "0")).join("")).replace(/-/g, "");

  // The session's CSRF token, served with the page: every post carries it back.
  const CSRF = document.querySelector('meta[name="csrf-token"]').content;

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (_) { /* an empty or HTML error page */ }
    if (!response.ok) {
      const error = new Error(data.detail || response.statusText);
      error.code = data.error || "failed";
      throw error;
    }
    return data;
  }

  const explain = (error) => {
    const refused = ["forbidden", "bad_origin", "bad_csrf"].includes(error.code);
    const key = refused ? "error_forbidden" : "error_" + (error.code || "failed");
    return fmt(S[key] || S.error_failed, { reason: error.message, limit: 10000 });
  };

  // --- customer pane -------------------------------------------------------------------------

  function upsertConversation(data) {
    const found = conversations.get(data.id);
    if (found) {
      found.name = data.name;
      found.look = data.look;
      for (const message of data.messages || []) addMessage(found, message);
    } else {
      conversations.set(data.id, { ...data, messages: [...(data.messages || [])] });
    }
    return conversations.get(data.id);
  }

  function addMessage(conversation, message) {
    if (!conversation.messages.some((m) => m.id === message.id)) conversation.messages.push(message);
  }

  function drawTabs() {
    const tabs = $("tabs");
    tabs.replaceChildren();
    for (const conversation of conversations.values()) {
      const waiting = conversation.messages.length > 0 &&
        conversation.messages[conversation.messages.length - 1].sender === "customer";
      const button = el("button", {
        type: "button",
        className: "tab" + (waiting ? " waiting-tab" : ""),
        "aria-current": conversation.id === current ? "true" : false,
        "data-conversation": conversation.id,
        text: conversation.name,
      });
      button.addEventListener("click", () => select(conversation.id, { focus: true }));
      tabs.append(el("li", {}, [button]));
    }
  }

  function drawChat() {
    const conversation = conversations.get(current);
    $("chat").hidden = !conversation;
    $("no-conversation").hidden = Boolean(conversation);
    if (!conversation) return;
    $("chat").className = "chat look-" + conversation.look;
    $("chat-title").textContent = fmt(S.chat_with, { name: conversation.name });
    for (const radio of document.querySelectorAll('input[name="look"]')) {
      radio.checked = radio.value === conversation.look;
    }
    const list = $("messages");
    const items = conversation.messages.map((message) => {
      const who = message.sender === "brand" ? S.from_brand : fmt(S.from_customer, { name: conversation.name });
      const time = new Date(message.at);
      return el("li", { className: "msg from-" + message.sender, "data-id": message.id }, [
        el("span", { className: "visually-hidden", text: who + ": " }),
        el("p", { className: "msg-text", text: message.text }),
        el("time", {
          datetime: message.at,
          text: time.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: ZONE }),
        }),
      ]);
    });
    list.replaceChildren(...items);
    list.scrollTop = list.scrollHeight;
    const last = conversation.messages[conversation.messages.length - 1];
    $("waiting").hidden = !last || last.sender !== "customer";
  }

  function select(id, { focus = false } = {}) {
    current = id;
    sessionStorage.setItem("replique.conversation", id);
    drawTabs();
    drawChat();
    if (focus) $("message-text").focus();
  }

  // Opens (or returns to) the conversation of the name typed above; null when none is typed.
  async function openTypedConversation({ focus }) {
    const name = $("customer-name").value.trim();
    const look = document.querySelector('input[name="new-look"]:checked').value;
    $("customer-error").textContent = "";
    if (!name) {
      $("customer-error").textContent = S.error_no_name;
      $("customer-name").focus();
      return null;
    }
    try {
      const data = await post("/api/conversations", { name, look });
      upsertConversation(data.conversation);
      $("customer-name").value = "";
      select(data.conversation.id, { focus });
      return conversations.get(data.conversation.id);
    } catch (error) {
      $("customer-error").textContent = explain(error);
      return null;
    }
  }

  $("open-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await openTypedConversation({ focus: true });
  });

  for (const radio of document.querySelectorAll('input[name="look"]')) {
    radio.addEventListener("change", async () => {
      const conversation = conversations.get(current);
      if (!conversation || !radio.checked) return;
      conversation.look = radio.value;
      drawChat();
      try {
        await post("/api/conversations", { name: conversation.name, look: radio.value });
      } catch (error) {
        $("customer-error").textContent = explain(error);
      }
    });
  }

  async function sendCustomerMessage() {
    const text = $("message-text").value;
    $("customer-error").textContent = "";
    if (!text.trim()) {
      $("customer-error").textContent = S.error_empty_text;
      return;
    }
    let conversation = conversations.get(current);
    // A name typed above and not opened yet: the message is that customer's, as one expects.
    if (!conversation || $("customer-name").value.trim()) {
      conversation = await openTypedConversation({ focus: false });
      if (!conversation) return;
    }
    const clientId = newId();
    // Shown at once; the server echoes the same id, so it is never drawn twice.
    addMessage(conversation, { id: clientId, sender: "customer", text, at: new Date().toISOString() });
    $("message-text").value = "";
    drawTabs();
    drawChat();
    try {
      await post("/api/messages", { name: conversation.name, look: conversation.look, text, client_id: clientId });
    } catch (error) {
      $("customer-error").textContent = explain(error);
    }
  }

  $("message-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sendCustomerMessage();
  });
  $("message-text").addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter starts a new line, as in the chat apps the pane imitates.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendCustomerMessage();
    }
  });

  // --- review desk ---------------------------------------------------------------------------

  async function act(card, body, item) {
    const notice = item.querySelector(".notice");
    notice.textContent = "";
    for (const button of item.querySelectorAll("button")) button.disabled = true;
    try {
      const outcome = await post("/api/actions", { draft_id: card.draft_id, ...body });
      if (outcome.notice) notice.textContent = outcome.notice;
      if (outcome.card) upsertCard(outcome.card);
    } catch (error) {
      notice.textContent = explain(error);
    } finally {
      for (const button of item.querySelectorAll("button")) button.disabled = false;
    }
  }

  function buildCard(card) {
    const title = el("h2", {
      className: "card-title",
      tabindex: "-1",
      id: "card-title-" + card.card_id,
      text: fmt(S.card_from, { name: card.customer_name, platform: card.customer_platform }),
    });
    const quote = el("blockquote", { className: "quote" }, [
      el("p", { text: card.message_text }),
      card.attachment_kind ? el("p", { className: "attachment", text: fmt(S.attachment, { kind: card.attachment_kind }) }) : null,
    ]);
    const draftHead = el("h3", { className: "draft-head" }, [
      el("span", { text: S.draft }),
      el("span", { className: "variant", text: " · " + fmt(S.variant, { n: card.variant, total: card.variants }) }),
      card.promotional ? el("span", { className: "promo", text: S.promotional }) : null,
    ]);
    const draft = el("div", { className: "draft" }, [
      draftHead,
      el("p", { className: "draft-text", text: card.decided && card.final_text ? card.final_text : card.draft_text }),
    ]);
    const why = el("p", { className: "why" }, [el("strong", { text: S.why }), " ", el("span", { text: card.why })]);
    const entities = el("ul", { className: "entities" },
      card.entities.map((e) => el("li", { "data-label": e.label }, [el("span", { className: "entity-label", text: e.label }), " ", el("span", { text: e.text })])));
    const children = [
      el("header", { className: "card-head" }, [title, el("span", { className: "badge status-" + card.status, text: card.status })]),
      quote,
      el("p", { className: "summary", text: card.summary }),
      card.history ? el("p", { className: "history", text: "🕘 " + card.history }) : null,
      card.facts ? el("p", { className: "facts", text: "📦 " + card.facts }) : null,
      card.entities.length ? entities : null,
      draft,
      why,
      card.guard ? el("p", { className: "guard" + (card.needs_confirmation ? " over-cap" : ""), text: card.guard }) : null,
    ];
    const item = el("li", {
      className: "card" + (card.decided ? " decided" : ""),
      "data-card-id": card.card_id,
      "data-draft-id": card.draft_id,
      "data-status": card.status,
      "data-intent": card.intent,
    });
    const article = el("article", { "aria-labelledby": title.id });
    if (card.decided) {
      children.push(el("p", { className: "status-line", text: card.status_line || card.status }));
    } else {
      const button = (action, label) => {
        const b = el("button", { type: "button", className: "action action-" + action, "data-action": action, text: label });
        return b;
      };
      const send = button("send", S.btn_send);
      const edit = button("edit", S.btn_edit);
      const variant = button("variant", S.btn_variant);
      const discard = button("discard", S.btn_discard);
      send.addEventListener("click", () => {
        // Above the anti-blast cap the desk asks for a second confirmation: the browser's own.
        if (card.needs_confirmation) {
          if (window.confirm(card.confirm_text)) act(card, { action: "send", confirmed: true }, item);
          return;
        }
        act(card, { action: "send" }, item);
      });
      variant.addEventListener("click", () => act(card, { action: "variant" }, item));
      discard.addEventListener("click", () => act(card, { action: "discard" }, item));
      const editId = "edit-" + card.card_id;
      const editText = el("textarea", { id: editId, rows: "4", maxlength: "10000" });
      editText.value = card.draft_text;
      const editForm = el("form", { className: "edit-form", hidden: true }, [
        el("label", { for: editId, text: S.edit_label }),
        editText,
        el("div", { className: "row" }, [
          el("button", { type: "submit", className: "primary", "data-action": "edit-send", text: S.edit_send }),
          el("button", { type: "button", className: "cancel", text: S.cancel }),
        ]),
      ]);
      edit.addEventListener("click", () => {
        editForm.hidden = false;
        edit.setAttribute("aria-expanded", "true");
        editText.focus();
      });
      edit.setAttribute("aria-expanded", "false");
      edit.setAttribute("aria-controls", editId);
      const closeEditor = () => {
        editForm.hidden = true;
        edit.setAttribute("aria-expanded", "false");
        edit.focus();
      };
      editForm.querySelector(".cancel").addEventListener("click", closeEditor);
      editForm.addEventListener("keydown", (event) => {
        if (event.key === "Escape") closeEditor();
      });
      editForm.addEventListener("submit", (event) => {
        event.preventDefault();
        if (!editText.value.trim()) {
          item.querySelector(".notice").textContent = S.error_empty_text;
          return;
        }
        act(card, { action: "edit", edited_text: editText.value }, item);
      });
      const intentId = "intent-" + card.card_id;
      const picker = el("select", { id: intentId },
        card.intent_choices.map((name) => el("option", { value: name, selected: name === card.intent, text: name })));
      const intentForm = el("form", { className: "intent-form" }, [
        el("label", { for: intentId, text: S.intent_label }),
        picker,
        el("button", { type: "submit", "data-action": "fix_intent", text: S.fix_intent }),
      ]);
      intentForm.addEventListener("submit", (event) => {
        event.preventDefault();
        act(card, { action: "fix_intent", intent: picker.value }, item);
      });
      children.push(el("div", { className: "actions" }, [send, edit, variant, discard]));
      if (card.intent_choices.length) children.push(intentForm);
      children.push(editForm);
    }
    children.push(el("p", { className: "notice", role: "status" }));
    article.append(...children.filter(Boolean));
    item.append(article);
    return item;
  }

  function upsertCard(card) {
    cards.set(card.card_id, card);
    drawCard(card);
  }

  function drawCard(card) {
    const drawn = JSON.stringify(card);
    if (shown.get(card.card_id) === drawn) return;
    shown.set(card.card_id, drawn);
    const list = $("cards");
    const old = list.querySelector(`li[data-card-id="${card.card_id}"]`);
    const hadFocus = old && old.contains(document.activeElement);
    const fresh = buildCard(card);
    if (old) old.replaceWith(fresh);
    else {
      // Newest first: a reviewer sees the latest message without scrolling.
      const after = [...list.children].find((li) => Number(li.dataset.cardId) < card.card_id);
      list.insertBefore(fresh, after || null);
    }
    if (hadFocus) fresh.querySelector(".card-title").focus();
    $("no-cards").hidden = cards.size > 0;
  }

  // --- state and live updates ---------------------------------------------------------------

  async function loadState() {
    const response = await fetch("/api/state", { cache: "no-store" });
    const state = await response.json();
    for (const conversation of state.conversations) upsertConversation(conversation);
    for (const card of state.cards) upsertCard(card);
    if (!conversations.has(current)) current = conversations.size ? [...conversations.keys()].pop() : null;
    drawTabs();
    drawChat();
    $("no-cards").hidden = cards.size > 0;
  }

  function connect() {
    const events = new EventSource("/api/events");
    events.addEventListener("hello", () => {
      $("connection").textContent = "";
      document.body.dataset.live = "true";
      loadState();
    });
    events.addEventListener("conversation", (event) => {
      upsertConversation(JSON.parse(event.data).conversation);
      if (!current) current = JSON.parse(event.data).conversation.id;
      drawTabs();
      drawChat();
    });
    events.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      const conversation = upsertConversation({ ...data.conversation, messages: [] });
      addMessage(conversation, data.message);
      drawTabs();
      if (conversation.id === current) drawChat();
    });
    events.addEventListener("card", (event) => upsertCard(JSON.parse(event.data).card));
    events.addEventListener("error", () => {
      document.body.dataset.live = "false";
      $("connection").textContent = S.connection_lost;
    });
  }

  $("no-cards").hidden = true;
  connect();
})();
