"""Tests of bot.nlp.text: cleaning customer text before analysis."""

from __future__ import annotations

import time
import unicodedata

import pytest

from bot.nlp.normalize import fold
from bot.nlp.text import clean_text, has_words, is_emoji_only, is_stop_keyword

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


class TestCleanText:
    def test_plain_text_is_unchanged(self) -> None:
        assert clean_text("Bonjour, où est ma commande ?") == "Bonjour, où est ma commande ?"

    def test_nfc_normalises_decomposed_accents(self) -> None:
        cleaned = clean_text("commande\u0301 e\u0300")  # combining acute and grave accents
        assert cleaned == "commandé è"
        assert unicodedata.is_normalized("NFC", cleaned)

    @pytest.mark.parametrize("char", ZERO_WIDTH)
    def test_zero_width_characters_are_removed(self, char: str) -> None:
        assert clean_text(f"mer{char}ci{char}") == "merci"

    def test_zero_width_between_letter_and_accent_still_composes(self) -> None:
        assert clean_text("e\u200b\u0301") == "é"

    @pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9f", "\u200e", "\u202e"])
    def test_control_and_bidi_characters_are_removed(self, char: str) -> None:
        assert clean_text(f"a{char}b") == "ab"

    def test_newlines_kept_and_tabs_become_spaces(self) -> None:
        assert clean_text("ligne 1\nligne\t2") == "ligne 1\nligne 2"

    @pytest.mark.parametrize("text", ["a\r\nb", "a\rb", "a\u2028b", "a\x0bb", "a\x85b"])
    def test_line_breaks_become_newline(self, text: str) -> None:
        assert clean_text(text) == "a\nb"

    def test_crlf_is_one_line_break(self) -> None:
        assert clean_text("a\r\n\r\nb") == "a\n\nb"

    def test_runs_of_spaces_and_tabs_collapse(self) -> None:
        assert clean_text("où  est \t\t ma\u00a0\u00a0commande") == "où est ma commande"

    def test_spaces_around_newlines_and_blank_line_runs(self) -> None:
        assert clean_text("a  \n   b\n\n\n\n\nc") == "a\nb\n\nc"

    def test_strips_ends(self) -> None:
        assert clean_text("  \n\t merci \n ") == "merci"

    @pytest.mark.parametrize("text", ["", "   ", "\n\t\r\n", "\u200b\ufeff", "\x00\x01"])
    def test_empty_results(self, text: str) -> None:
        assert clean_text(text) == ""

    def test_truncates_at_a_word_boundary(self) -> None:
        text = "mot " * 3000
        cleaned = clean_text(text, max_chars=101)
        assert len(cleaned) <= 101
        assert cleaned.endswith("mot")
        assert cleaned == " ".join(["mot"] * 25)

    def test_truncates_a_single_huge_word_hard(self) -> None:
        cleaned = clean_text("x" * 6000)
        assert cleaned.replace(" ", "") == "x" * 5000
        # No real word is that long; spaCy's tokenizer gets it in bounded pieces.
        assert max(len(chunk) for chunk in cleaned.split()) <= 40

    def test_tames_what_would_make_the_tokenizer_quadratic(self) -> None:
        assert clean_text("$" * 10_000) == "$$$"
        assert clean_text("help me!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!") == "help me!!!"
        url = "https://example.com/" + "a/" * 60
        assert clean_text(f"see {url}") == f"see {url}"

    def test_short_text_is_not_truncated(self) -> None:
        assert clean_text("merci", max_chars=5) == "merci"

    def test_max_chars_zero_and_negative(self) -> None:
        assert clean_text("merci", max_chars=0) == ""
        with pytest.raises(ValueError, match="max_chars"):
            clean_text("merci", max_chars=-1)

    def test_ten_thousand_characters_are_fast_and_bounded(self) -> None:
        text = ("Bonjour, j'ai commandé une veste il y a deux semaines. \u200b\r\n" * 200)[:10_000]
        start = time.perf_counter()
        cleaned = clean_text(text)
        elapsed = time.perf_counter() - start
        assert len(cleaned) <= 5000
        assert "\u200b" not in cleaned
        assert "\r" not in cleaned
        assert elapsed < 0.05

    def test_huge_input_is_bounded(self) -> None:
        assert len(clean_text("mot " * 1_000_000)) <= 5000

    @pytest.mark.parametrize(
        "text",
        [
            "\ud800",  # lone surrogate
            "abc\udfffdef",
            "\U0010ffff",
            "\x00" * 100,
            "👨‍👩‍👧" * 50,
            "مرحبا، أين طلبي؟",
            "\u0301\u0301",  # combining marks with nothing to combine with
            "\t" * 10_000,
        ],
    )
    def test_never_raises_and_output_encodes(self, text: str) -> None:
        cleaned = clean_text(text)
        cleaned.encode("utf-8")  # lone surrogates would make this raise


class TestHasWords:
    @pytest.mark.parametrize("text", ["merci", "a", "Где мой заказ", "我的订单", "é", "4821 x"])
    def test_letters_in_any_script(self, text: str) -> None:
        assert has_words(text)

    @pytest.mark.parametrize("text", ["", "   ", "#4821", "👍", "!!!", "12/05", "😀 🙏", ":)"])
    def test_no_letters(self, text: str) -> None:
        assert not has_words(text)


class TestIsEmojiOnly:
    @pytest.mark.parametrize(
        "text", ["👍", "👍🏽", "❤️", "👨‍👩‍👧", "🇨🇦", "1️⃣", " 👍 👍 ", "🙏🙏🙏", "✅", "😀\n😀"]
    )
    def test_emoji(self, text: str) -> None:
        assert is_emoji_only(text)

    @pytest.mark.parametrize("text", ["", "   ", "ok 👍", "merci", "123", ":)", "#4821", "👍!"])
    def test_not_only_emoji(self, text: str) -> None:
        assert not is_emoji_only(text)


class TestFold:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Où", "ou"),
            ("COMMANDÉ", "commande"),
            ("c’est", "c'est"),
            ("Ça", "ca"),
            ("sœur", "soeur"),
            ("Где", "где"),
            ("", ""),
        ],
    )
    def test_fold(self, text: str, expected: str) -> None:
        assert fold(text) == expected


@pytest.mark.parametrize(
    "text", ["STOP", "stop", "Stop.", "Désabonner!", "desabonnez-moi", "stop svp 🙏", "UNSUBSCRIBE"]
)
def test_bare_opt_out_keywords(text: str) -> None:
    assert is_stop_keyword(text)


@pytest.mark.parametrize(
    "text",
    [
        "stop sending me the wrong size",
        "can't stop loving this coffee",
        "arrêt de bus le plus proche?",
        "",
    ],
)
def test_messages_that_merely_contain_stop_are_not_opt_outs(text: str) -> None:
    assert not is_stop_keyword(text)
