"""The negation check: a candidate that loses or adds a "not" says something else."""

from __future__ import annotations

import pytest

from models.negation import changed_negation, flipped_prefix
from models.pipeline import KeepsNegation, Source, default_pipeline


@pytest.mark.parametrize(("source", "candidate", "change"), [
    # shown by student v2 with the meaning scorer's blessing
    ("We aren't overprotective, we're involved.", "We have been overprotective and involved.", "lost"),
    ("we arent overprotective were involved and we are here to stay",
     "The people involved have been overprotective, and we are here to stay.", "lost"),
    ("the film does nt have enough innovation", "The film has enough innovation.", "lost"),
    ("The bill never came up for a vote in the Senate.", "The bill came up for a vote in the Senate.", "lost"),
    ("Women experience less navel lint because of their finer body hairs.",
     "Women don't experience less navel lint because of their finer body hair.", "added"),
    ("NME was slow to cover this new phenomenon.", "NME didn't cover this new phenomenon.", "added"),
    ("The film doesn't have enough pizazz and it lacks charm.", "The film has enough pizazz and it lacks charm.", "lost"),
    ("One he describes, not inaccurately, as a work of anti-history.",           # seen at Creative
     "He describes it, not accurately, as a work of anti-history.", "added"),
])
def test_a_lost_or_added_negation_is_seen(source: str, candidate: str, change: str) -> None:
    assert changed_negation(source, candidate) == change


@pytest.mark.parametrize(("source", "candidate"), [
    ("The shop is no longer open.", "The shop has closed."),                 # a negative-sense word
    ("I could not attend the meeting.", "I was unable to attend the meeting."),
    ("He did not agree with the plan.", "He disagreed with the plan."),      # a negative prefix on its word
    ("There is no use in waiting.", "Waiting is useless."),
    ("Is there a way to the hospital without construction?", "Is there a route that avoids the construction?"),
    ("The film was poorly received.", "The film wasn't well received."),     # added, but the source said it
    ("She was unhappy with the result.", "She was not happy with the result."),
    ("The food was not cheap.", "The food wasn't cheap at all."),             # kept on both sides
    ("The trip was quick.", "The trip took little time."),                    # no negation on either side
    ("I am not interested in the offer.", "The offer does not interest me."),
    ("Some species are still faithful, and swans are never unfaithful.",     # the same double negation
     "Fidelity still exists in some species, and swans are never unfaithful."),
    ("The train left without us.", "The train departed before we arrived."),  # "without" governs nothing kept
    ("Leave early to arrive on time.", "Leave early to arrive without delay."),
    ("One he describes, not inaccurately, as a work of anti-history.", "He accurately calls it a work of anti-history."),
    ("The film doesn't have enough pizazz and it lacks the charm of Spy Kids.",
     "The film lacks the pizazz and the charm of Spy Kids."),                 # one "lacks" for two
])
def test_a_negation_reworded_or_kept_passes(source: str, candidate: str) -> None:
    assert changed_negation(source, candidate) == ""


@pytest.mark.parametrize(("source", "candidate"), [
    ("If you want a great casino, this one has it all.", "Look no further than this casino for a great time."),
    ("She is a fan of bargain shopping.", "She is not only a fan of bargain shopping but an expert."),
    ("A man wearing a No. 31 jersey ran onto the field.", "A man in a 31 jersey ran onto the field."),
    ("Check whether the roads are icy today.", "Check whether or not the roads are icy today."),
    ("They didn't just do the job, they finished early.", "They did the job and finished early."),
])
def test_phrases_that_negate_nothing_are_not_counted(source: str, candidate: str) -> None:
    assert changed_negation(source, candidate) == ""


@pytest.mark.parametrize(("source", "candidate", "change"), [
    # shown by student v2 (sessions 28-29): no "not" anywhere, the prefix carried it
    ("Moreover he also unsuccessfully contested the Saarbrücken constituency.",
     "He also successfully contested the Saarbrücken constituency.", "lost"),
    ("But this is thought to be unlikely by the constructors.", "The constructors have claimed it is likely.", "lost"),
    ("Units would be raised from non-German foreign nationals.", "Units would be raised from German citizens.", "lost"),
    ("It is likely to rain tomorrow.", "It is unlikely to rain tomorrow.", "added"),
    ("The reports were accurate.", "The reports were inaccurate.", "added"),
    # "dis" for its common opposites only (passed every check at 0.10 before)
    ("They agreed to the terms.", "They disagreed with the terms.", "added"),
    ("She disliked the film.", "She liked the film.", "lost"),
])
def test_a_word_turned_by_its_negative_prefix_is_seen(source: str, candidate: str, change: str) -> None:
    assert flipped_prefix(source, candidate) == change
    assert changed_negation(source, candidate) == change
    assert changed_negation(source, candidate, omission_allowed=True) == change  # nothing was left out


@pytest.mark.parametrize(("source", "candidate"), [
    ("I'm not sure what they were.", "I'm unsure what they were."),          # the negation went into it
    ("It is not uncommon to find no guests.", "It is common to find no guests."),   # a double negation
    ("The heart is unable to pump enough blood.", "The heart lacks the ability to pump enough blood."),
    ("Heart failure results from the heart's inability to pump.", "Heart failure occurs when the heart lacks the ability to pump."),
    ("The book is yet to be published.", "The book is unpublished."),
    ("The non-profit group met.", "The nonprofit group met."),                 # one word, two spellings
    ("schools should be open for inperson teaching", "Schools should be open for in-person teaching."),
    ("He failed to finish it successfully.", "He finished it unsuccessfully."),
    # a negation in another sentence turns nothing round
    ("They avoid injuries and do not get embarrassed. It is not the most inspiring scenario.",
     "They avoid injuries and do not get embarrassed. It is an uninspiring scenario."),
    ("We grow like butterflies.", "Unlike butterflies, we grow."),           # "like" is no base ("-like", a verb)
    ("The form was sent.", "They were informed."),                            # "in" on a short word is no prefix
    ("I am not satisfied and won't be returning.", "I am dissatisfied and unlikely to come back."),
    ("The item was discounted.", "The item was counted."),                    # "dis" of an ordinary word
    ("They displayed the play.", "They showed the play."),
])
def test_a_prefix_turned_back_by_a_negation_or_no_prefix_at_all_passes(source: str, candidate: str) -> None:
    assert flipped_prefix(source, candidate) == ""
    assert changed_negation(source, candidate) == ""


def test_where_a_detail_may_go_only_a_turned_statement_counts() -> None:
    source = "The protocol lets two parties that have no prior knowledge of each other share a key."
    dropped = "The protocol lets two parties share a key."
    assert changed_negation(source, dropped) == "lost"
    assert changed_negation(source, dropped, omission_allowed=True) == ""
    turned = "The protocol lets two parties that have prior knowledge of each other share a key."
    assert changed_negation(source, turned, omission_allowed=True) == "lost"
    added = "The protocol does not let two parties share a key."
    assert changed_negation("The protocol lets two parties share a key.", added, omission_allowed=True) == "added"


def test_the_pipeline_refuses_it_by_name_and_the_mode_decides_about_omissions() -> None:
    source = Source("We aren't overprotective, we're involved.")
    refused = default_pipeline().refusal("We have been overprotective and involved.", source, [])
    assert refused is not None and refused.name == "negation"
    assert default_pipeline().refusal("We are involved, not overprotective.", source, []) is None
    long = "The protocol lets two parties that have no prior knowledge of each other share a key."
    assert not KeepsNegation().accepts("The protocol lets two parties share a key.", Source(long), [])
    assert KeepsNegation().accepts("The protocol lets two parties share a key.",
                                   Source(long, omission_allowed=True), [])
