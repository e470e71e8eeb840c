"""The playground in a real headless Chromium: customer says … → card shows … → reviewer clicks …
→ customer receives …, through the same desk, outbox and store as Slack and Telegram."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.harness import Playground, artifacts_dir

pytestmark = pytest.mark.browser

COMPLAINT = "My order 88123 arrived broken and nobody answers. This is unacceptable!"
TIMEOUT = 20_000  # ms: the first analysis loads spaCy pipelines


class Screen:
    """The playground as a person uses it: by labels and buttons, like a screen reader would."""

    def __init__(self, page: Page) -> None:
        self.page = page

    async def open(self, url: str) -> None:
        await self.page.goto(url)
        # Live once the event stream said hello (the page then loaded the server's state).
        await expect(self.page.locator("body")).to_have_attribute("data-live", "true")

    async def start(self, name: str, *, look: str = "Telegram") -> None:
        await self.page.get_by_label("Customer name").fill(name)
        await self.page.locator("#open-form").get_by_label(look).check()
        await self.page.get_by_role("button", name="Open conversation").click()
        await expect(self.page.locator("#chat-title")).to_have_text(f"Conversation of {name}")

    async def say(self, text: str) -> None:
        await self.page.get_by_label("Message", exact=True).fill(text)
        await self.page.get_by_label("Message", exact=True).press("Enter")

    def card_of(self, name: str) -> Locator:
        return self.page.locator("li.card").filter(
            has=self.page.get_by_role("heading", name=f"{name} on web")
        )

    def replies(self) -> Locator:
        return self.page.locator("#messages li.from-brand .msg-text")

    async def switch_to(self, name: str) -> None:
        await self.page.locator("#tabs").get_by_role("button", name=name).click()


async def test_complaint_card_then_send_reaches_the_customer(
    playground: Playground, page: Page
) -> None:
    screen = Screen(page)
    await screen.open(playground.url)
    await screen.start("Léa Tremblay")
    await screen.say(COMPLAINT)

    card = screen.card_of("Léa Tremblay")
    await expect(card).to_have_attribute("data-intent", "complaint", timeout=TIMEOUT)
    await expect(card.locator(".summary")).to_contain_text("complaint")
    await expect(card.locator(".summary")).to_contain_text("88123")
    await expect(card.locator(".quote")).to_have_text(COMPLAINT)
    draft = card.locator(".draft-text")
    await expect(draft).to_contain_text("88123")
    # Never an offer to an unhappy customer: no promotional badge, no offer code.
    await expect(card.locator(".promo")).to_have_count(0)
    assert "MERCI10" not in (await draft.inner_text())
    await expect(screen.page.locator("#waiting")).to_be_visible()
    drafted = await draft.inner_text()

    await card.get_by_role("button", name="✅ Send").click()

    await expect(card).to_have_attribute("data-status", "sent")
    await expect(card.locator(".status-line")).to_contain_text("Sent")
    await expect(card.get_by_role("button")).to_have_count(0)
    await expect(screen.replies()).to_have_count(1, timeout=TIMEOUT)
    await expect(screen.replies().first).to_contain_text(drafted.split("\n")[0])
    await expect(screen.page.locator("#waiting")).to_be_hidden()
    await page.screenshot(path=str(artifacts_dir() / "playground-complaint-sent.png"))

    # A reload draws the same conversation and the decided card from the server's state.
    await page.reload()
    await expect(page.locator("body")).to_have_attribute("data-live", "true")
    await expect(screen.replies()).to_have_count(1)
    await expect(screen.card_of("Léa Tremblay")).to_have_attribute("data-status", "sent")


async def test_edit_sends_the_reviewers_text_using_the_keyboard(
    playground: Playground, page: Page
) -> None:
    screen = Screen(page)
    await screen.open(playground.url)
    await screen.start("Sam Carter", look="Slack")
    await expect(page.locator("#chat")).to_have_class(re.compile(r"\blook-slack\b"))
    await screen.say("Where is my order 55102? It was supposed to arrive yesterday.")
    card = screen.card_of("Sam Carter")
    await expect(card.get_by_role("button", name="✏️ Edit")).to_be_visible(timeout=TIMEOUT)

    # Keyboard only: focus the button, Enter opens the editor with the draft in it.
    await card.get_by_role("button", name="✏️ Edit").focus()
    await page.keyboard.press("Enter")
    editor = card.get_by_label("Reply to send")
    await expect(editor).to_be_focused()
    await expect(editor).not_to_have_value("")
    # Escape closes the editor and gives the focus back to the button; Enter opens it again.
    await page.keyboard.press("Escape")
    await expect(editor).to_be_hidden()
    await expect(card.get_by_role("button", name="✏️ Edit")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(editor).to_be_focused()
    edited = "Hi Sam, order 55102 left our warehouse this morning: it arrives Thursday. — Léa"
    await editor.fill(edited)
    await card.get_by_role("button", name="✅ Send this reply").click()

    await expect(card).to_have_attribute("data-status", "edited")
    await expect(screen.replies()).to_have_text([edited], timeout=TIMEOUT)


async def test_discard_sends_nothing(playground: Playground, page: Page) -> None:
    screen = Screen(page)
    await screen.open(playground.url)
    await screen.start("Chloé Martin")
    await screen.say("Bonjour, vous ouvrez à quelle heure samedi ?")
    card = screen.card_of("Chloé Martin")
    await expect(card.get_by_role("button", name="❌ Discard")).to_be_visible(timeout=TIMEOUT)

    await card.get_by_role("button", name="❌ Discard").click()

    await expect(card).to_have_attribute("data-status", "discarded")
    await expect(card.locator(".status-line")).to_contain_text("Discarded")
    await expect(card.get_by_role("button")).to_have_count(0)
    # Nothing was queued for delivery, so nothing can ever reach the customer's pane.
    conversation = playground.adapter.state()["conversations"][0]
    assert [m["sender"] for m in conversation["messages"]] == ["customer"]
    await expect(screen.replies()).to_have_count(0)


async def test_two_customers_each_get_their_own_reply(playground: Playground, page: Page) -> None:
    screen = Screen(page)
    await screen.open(playground.url)
    await screen.start("Léa Tremblay")
    await screen.say(COMPLAINT)
    await screen.start("Noah Roy", look="Slack")
    await screen.say("Hi! What time do you open on Saturday?")

    lea, noah = screen.card_of("Léa Tremblay"), screen.card_of("Noah Roy")
    await expect(lea.get_by_role("button", name="✅ Send")).to_be_visible(timeout=TIMEOUT)
    await expect(noah.get_by_role("button", name="✅ Send")).to_be_visible(timeout=TIMEOUT)
    await expect(page.locator("#tabs button")).to_have_count(2)

    await noah.get_by_role("button", name="✅ Send").click()
    await expect(noah).to_have_attribute("data-status", "sent")
    await expect(screen.replies()).to_have_count(1, timeout=TIMEOUT)  # Noah's pane is open
    await screen.switch_to("Léa Tremblay")
    await expect(page.locator("#chat")).to_have_class(re.compile(r"\blook-telegram\b"))
    await expect(screen.replies()).to_have_count(0)
    # The look is the conversation's own: switching it here changes Léa's only.
    await page.locator("#chat").get_by_label("Slack").check()
    await expect(page.locator("#chat")).to_have_class(re.compile(r"\blook-slack\b"))
    await expect(lea).to_have_attribute("data-status", "pending")

    await lea.get_by_role("button", name="✅ Send").click()
    await expect(screen.replies()).to_have_count(1, timeout=TIMEOUT)
    await expect(screen.replies().first).to_contain_text("88123")
    await page.screenshot(path=str(artifacts_dir() / "playground-two-customers.png"))


async def test_customer_text_is_shown_as_text_never_markup(
    playground: Playground, page: Page
) -> None:
    screen = Screen(page)
    await screen.open(playground.url)
    await screen.start("<b>Mallory</b>")
    hostile = '<img src=x onerror="document.body.dataset.owned=1"> {{ 7*7 }} @channel'
    await screen.say(hostile)
    card = screen.card_of("<b>Mallory</b>")
    await expect(card.locator(".quote")).to_have_text(hostile, timeout=TIMEOUT)
    await expect(page.locator("#messages li.from-customer .msg-text")).to_have_text(hostile)
    await expect(page.locator("img")).to_have_count(0)
    await expect(page.locator("b")).to_have_count(0)
    assert await page.evaluate("document.body.dataset.owned") is None


async def test_french_page_from_the_browser_language(playground: Playground, browser) -> None:
    context = await browser.new_context(locale="fr-CA")
    page = await context.new_page()
    try:
        await page.goto(playground.url)
        await expect(page.locator("html")).to_have_attribute("lang", "fr")
        await expect(page.get_by_role("heading", name="Bureau de relecture")).to_be_visible()
        await expect(page.get_by_label("Nom du client")).to_be_visible()
        await page.get_by_role("link", name="English").click()
        await expect(page.get_by_role("heading", name="Review desk")).to_be_visible()
    finally:
        await context.close()


async def test_insights_page_draws_charts_from_the_store(
    playground: Playground, page: Page
) -> None:
    screen = Screen(page)
    await screen.open(playground.url)
    await screen.start("Léa Tremblay")
    await screen.say(COMPLAINT)
    card = screen.card_of("Léa Tremblay")
    await card.get_by_role("button", name="✅ Send").click(timeout=TIMEOUT)
    await expect(card).to_have_attribute("data-status", "sent")

    await page.get_by_role("link", name="Insights").click()
    await expect(page.get_by_role("heading", name="Réplique insights")).to_be_visible()
    intents = page.get_by_role("img", name="Messages per intent, per day")
    await expect(intents).to_be_visible()
    await expect(intents.locator("rect title")).to_contain_text(["complaint: 1"])
    outcomes = page.get_by_role("img", name="Drafts per intent: sent as-is, edited, discarded")
    await expect(outcomes.locator("rect title")).to_contain_text(["complaint · sent as-is: 1"])
    await expect(page.get_by_text("Median time from message to decision:")).to_be_visible()
    await page.screenshot(path=str(artifacts_dir() / "insights.png"), full_page=True)


async def test_a_typed_name_and_enter_opens_the_conversation_and_sends(
    playground: Playground, page: Page
) -> None:
    """A newcomer types a name, then a message, then presses Enter: no extra click needed."""
    screen = Screen(page)
    await screen.open(playground.url)
    await page.get_by_label("Customer name").fill("Noah Roy")
    await screen.say("Hi, do you ship to Halifax?")
    await expect(page.locator("#chat-title")).to_have_text("Conversation of Noah Roy")
    await expect(page.locator("#messages li.from-customer .msg-text")).to_have_text(
        "Hi, do you ship to Halifax?"
    )
    await expect(page.locator("#customer-error")).to_have_text("")
    await expect(screen.card_of("Noah Roy")).to_be_visible(timeout=TIMEOUT)


async def test_one_page_one_time_zone_the_brands(playground: Playground, page: Page) -> None:
    """The chat's times and the card's "sent at" are in the brand's zone, and the page says so."""
    screen = Screen(page)
    await screen.open(playground.url)
    zone = playground.desk.config.brand.timezone
    await expect(page.locator("#timezone-note")).to_contain_text(zone)
    await screen.start("Léa Tremblay")
    await screen.say(COMPLAINT)
    card = screen.card_of("Léa Tremblay")
    await card.get_by_role("button", name="✅ Send").click(timeout=TIMEOUT)
    await expect(screen.replies()).to_have_count(1, timeout=TIMEOUT)
    status = await card.locator(".status-line").inner_text()
    sent_at = re.search(r"\d{2}:\d{2}", status)
    assert sent_at, status
    shown = await page.locator("#messages li.from-brand time").inner_text()

    def minutes(clock: str) -> int:
        hours, mins = clock.strip().split(":")
        return int(hours) * 60 + int(mins)

    # A minute may tick between the decision and the delivery; a zone apart is hours.
    gap = abs(minutes(shown) - minutes(sent_at.group(0))) % (24 * 60)
    assert min(gap, 24 * 60 - gap) <= 1, (shown, status)
