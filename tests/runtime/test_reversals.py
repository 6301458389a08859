"""Words turned into their opposites (models/reversals.py): cases from the student's shown output,
faithful rewordings from the GPT teachers that must pass, and the pipeline check."""

from __future__ import annotations

import pytest

from models.pipeline import KeepsDirection, Source, default_pipeline
from models.reversals import CHECKED_PAIRS, REVERSAL_PAIRS, reversed_words, shifted_times, turned_places, turned_stance


@pytest.mark.parametrize(("source", "candidate", "turned"), [
    # shown at the default slider on held-out news, passed by the meaning scorer
    ("The bill was defeated in the House by a wide bipartisan margin.",
     "The House passed the bill by a broad bipartisan margin.", [("defeated", "passed")]),
    ("Prior to the financial crisis of 2008-2009, the dollar was about 120 yen.",
     "In the aftermath of the 2008-2009 financial crisis, the dollar was about 120 yen.", [("prior to", "aftermath")]),
    ("Shares rose 5% before the vote.", "Shares fell 5% after the vote.", [("rose", "fell"), ("before", "after")]),
    ("We left because it rained.", "We left despite the rain.", [("because", "despite")]),
    ("He was acquitted in May.", "He was convicted in May.", [("acquitted", "convicted")]),
    # shown at the default slider on held-out news: hardly any became some
    ("It contains few big names, major treaties or famous battles.",
     "It has a few big names, major treaties or famous battles.", [("few", "a few")]),
    ("A few people came.", "Few people came.", [("a few", "few")]),
    # shown by student v2 on held-out news: a time that moved into the event
    ("Prior to the financial crisis of 2008-2009, the dollar was about 120 yen and the Euro over 160 yen.",
     "During the financial crisis of 2008-2009, the dollar was around 120 yen and Euros over 160 yens.",
     [("prior to", "during")]),
    ("Lyman sat through a hearing before a judge, during which she was questioned.",
     "Lyman had a hearing before the judge after being questioned.", [("during", "after")]),
    ("The concert was postponed until May.", "The concert was cancelled.", [("postponed", "cancelled")]),
    # antonyms the teachers keep (TEACHER_KEPT_ANTONYMS), shown by student v2
    ("The bill was defeated in the House by a wide bipartisan margin.",
     "The House defeated the bill by a narrow margin.", [("wide", "narrow")]),
    ("Mohammed Yusuf, arrested alive, was killed in prison.", "Mohammed Yusuf, convicted and dead in prison.",
     [("alive", "dead")]),
    # passed every check before the classes of 2026-12-04 (0.16 and 0.27 on their cards)
    ("The drug reduced the risk of heart attacks in older patients.",
     "In elderly patients, the medication raised the likelihood of heart attacks.", [("reduced", "raised")]),
    ("The minister denied that the government had misled parliament.",
     "According to the minister, the government misled parliament, she conceded.", [("denied", "conceded")]),
    # passed every check before the classes of 2026-12-04 (``runs/s51/flip_probe.py``)
    ("The senator opposed the bill.", "The senator backed the bill.", [("opposed", "backed")]),
    ("The plan was criticised by the unions.", "The plan was supported by the unions.",
     [("criticised", "supported")]),
    ("The train arrived ahead of schedule.", "The train arrived behind schedule.",
     [("ahead of schedule", "behind schedule")]),
    ("The new phone is more expensive than the old one.", "The new phone is cheaper than the old one.",
     [("more expensive", "cheaper")]),
    ("The museum is open every day except Monday.", "The museum is open every day, including Monday.",
     [("except", "including")]),
    ("The court upheld the ruling.", "The court overturned the ruling.", [("upheld", "overturned")]),
    ("The evidence confirmed his story.", "The evidence contradicted his story.", [("confirmed", "contradicted")]),
    ("The deadline was extended by a week.", "The deadline was shortened by a week.", [("extended", "shortened")]),
    ("He borrowed money from his sister.", "He lent money to his sister.", [("borrowed", "lent")]),
    ("Inflation slowed in March.", "Inflation accelerated in March.", [("slowed", "accelerated")]),
    ("Attendance is mandatory.", "Attendance is optional.", [("mandatory", "optional")]),
    ("The team won by a large margin.", "The team won by a narrow margin.", [("large margin", "narrow")]),
    ("The road was reopened to traffic.", "The road was closed to traffic.", [("was reopened", "was closed")]),
    ("We hired three engineers.", "We fired three engineers.", [("hired", "fired")]),
    ("Most of the staff supported the proposal.", "Most of the staff rejected the proposal.",
     [("supported", "rejected")]),
    ("Our team finished ahead of the competition.", "Our team finished behind the competition.",
     [("ahead of", "behind")]),
    ("Please submit the report by Friday.", "Please submit the report after Friday.",
     [("by friday", "after friday")]),
    ("The offer is valid until the end of May.", "The offer is valid from the end of May.",
     [("until the end of", "from the end of")]),
    ("The patient was discharged from hospital.", "The patient was admitted to hospital.",
     [("discharged", "admitted")]),
    ("The experiment succeeded on the second attempt.", "The experiment failed on the second attempt.",
     [("succeeded", "failed")]),
    ("The CEO stepped down in March.", "The CEO took over in March.", [("stepped down", "took over")]),
    ("Sales were flat in the third quarter.", "Sales grew in the third quarter.", [("flat", "grew")]),
    ("Shares plunged after the announcement.", "Shares soared after the announcement.", [("plunged", "soared")]),
    ("The project is under budget.", "The project is over budget.", [("under budget", "over budget")]),
    ("The company expanded into Asia.", "The company withdrew from Asia.", [("expanded into", "withdrew from")]),
    ("The bank raised interest rates.", "The bank cut interest rates.",
     [("raised interest rates", "cut interest rates")]),
    ("The museum is closed on Mondays.", "The museum is open on Mondays.", [("is closed", "is open")]),
    ("The shop stays open on Sundays.", "The shop is closed on Sundays.", [("stays open", "is closed")]),
    ("The budget showed a surplus of $2 billion.", "The budget showed a deficit of $2 billion.",
     [("surplus", "deficit")]),
    ("A majority of voters backed the plan.", "A minority of voters backed the plan.", [("majority", "minority")]),
    ("The employer must pay the tax.", "The employee must pay the tax.", [("employer", "employee")]),
    ("The landlord is responsible for repairs.", "The tenant is responsible for repairs.", [("landlord", "tenant")]),
    ("The plaintiff appealed the ruling.", "The defendant appealed the ruling.", [("plaintiff", "defendant")]),
    ("Smoking is permitted in the lobby.", "Smoking is prohibited in the lobby.", [("permitted", "prohibited")]),
    ("The sender pays the postage.", "The recipient pays the postage.", [("sender", "recipient")]),
    ("The treaty made them allies.", "The treaty made them enemies.", [("allies", "enemies")]),
    ("The company reported a profit.", "The company reported a loss.", [("profit", "loss")]),
    ("The plan was abandoned last year.", "The plan was adopted last year.", [("abandoned", "adopted")]),
    ("Unlike his brother, he studied law.", "Like his brother, he studied law.", [("unlike", "like")]),
    ("Rather than raise taxes, the government cut spending.", "The government raised taxes and cut spending.",
     [("rather than raise", "raised")]),
    ("Instead of flying, they took the train to Paris.", "They flew to Paris and took the train.",
     [("instead of flying", "flew")]),
    ("The talks ended without an agreement.", "The talks ended with an agreement.",
     [("without an agreement", "with an agreement")]),
    ("Only two passengers survived the crash.", "Only two passengers died in the crash.", [("survived", "died")]),
    ("The suspect was arrested on Friday.", "The suspect was released on Friday.", [("arrested", "released")]),
    ("The governor signed the bill on Monday.", "The governor vetoed the bill on Monday.", [("signed", "vetoed")]),
    ("The minister resigned after the scandal.", "The minister was fired after the scandal.",
     [("resigned", "was fired")]),
    ("The suspect was charged with theft.", "The suspect was cleared of theft.", [("charged with", "cleared of")]),
    ("The new law takes effect in January.", "The new law expires in January.", [("takes effect", "expires")]),
])
def test_a_word_turned_into_its_opposite_is_found(source: str, candidate: str, turned: list[tuple[str, str]]) -> None:
    assert reversed_words(source, candidate) == turned
    assert not KeepsDirection().accepts(candidate, Source(source), [])


@pytest.mark.parametrize(("source", "candidate"), [
    ("It rose and then fell.", "It fell after it had risen."),                         # both words kept
    ("The wings were cooked well, but there was little sauce.", "The wings were good; the sauce was scarce."),
    ("I gave them 3 stars because service is so-so, even though the food is great.",
     "Despite great food I gave 3 stars, due to so-so service."),                      # both classes in the source
    ("Ted is a great dentist, never had a problem.", "Ted is a great dentist; I always had good visits."),
    ("Set up the tent before dark.", "Put the tent up before it gets dark."),          # "up"/"down" not checked
    ("Since January, sales have grown.", "Although slow at first, sales have grown since January."),  # temporal "since"
    ("We had more time than money.", "We had less money than time."),                   # "more"/"less" not checked
    ("There are few choices to eat.", "The restaurant only offered a few choices."),     # "only a few" is "few"
    ("Few people came.", "Just a few people came."),
    ("Few came, but a few stayed.", "A few people came."),                              # both readings: unchecked
    ("They are having fun after all.", "They are having fun during the trip."),          # "after all" is no time
    ("Costs were reduced while revenue increased.", "Revenue grew and costs fell."),       # both directions said
    ("The minister denied the report.", "The minister rejected the report."),             # a denial kept
    ("One setback after another hit the team.", "Setbacks hit the team throughout the season."),
    ("The launch was delayed until June.", "The launch was put off until June."),       # same class
    ("Prices fell during the storm.", "Prices dropped while the storm lasted."),
    ("It was a wide road.", "It was a broad road."),                                    # a synonym
    ("The road is wide here but narrow in town.", "The road narrows in town and is wide here."),  # both kept
    ("The senator opposed the bill.", "The senator voted against the bill."),
    ("The unions praised the plan.", "The plan was welcomed by the unions."),          # same class
    ("The museum is open every day except Monday.", "The museum is open daily apart from Mondays."),
    ("The store opened a branch in Leeds.", "The store is open in Leeds now."),          # another sense of "opened"
    ("The Bengals defeated the Dolphins 16-13.", "The Bengals won a 16-13 victory over the Dolphins."),  # a win both
    ("Rather than raise taxes, the government cut spending.", "The government cut spending instead of raising taxes."),
    ("Cox stresses madness rather than the individual.", "Cox is more interested in madness than the man."),
    ("It's common to associate airports with shopping rather than flying, as flying comes after.",
     "Airports mean shopping first, with flying afterwards."),                      # flying said in the source too
    ("Nelson now faces up to 10 years instead of life.", "Nelson had faced life in prison; now it is 10 years."),
    ("The staff were rude and without manners.", "The staff were rude, with no manners."),
    ("Legal proceedings against the poachers collapsed.", "The case over the illegal fishing fell apart."),
    ("The road was closed but is open again.", "The road is open again after being closed."),  # both states said
    ("The new phone is cheaper than the old one.", "The new phone costs less than the old one."),
    ("They agreed to the terms.", "They accepted the terms."),
    ("The discovery was displayed in the museum.", "The find was shown in the museum."),  # "dis" words
    ("The court upheld the ruling.", "The court confirmed the ruling."),
    ("The deadline was extended by a week.", "The deadline was pushed back by a week."),
    ("Our team finished ahead of the competition.", "Our team beat the competition."),
    ("Please submit the report by Friday.", "Please hand in the report no later than Friday."),
    ("Over 78 million subscriptions were reported by June 30th.", "As of June 30th, subscribers passed 78 million."),
    ("They succeeded despite failure.", "They kept failing upwards."),                   # both in the source
    ("The experiment succeeded on the second attempt.", "The second attempt worked."),
    ("The bank raised interest rates.", "The bank increased its rates."),
    ("The company expanded into Asia.", "The company entered the Asian market."),          # same class
])
def test_faithful_rewordings_pass(source: str, candidate: str) -> None:
    assert reversed_words(source, candidate) == []


def test_antonyms_the_teachers_keep_are_checked_and_never_offered_as_alternatives() -> None:
    from models.phrases import _BOTH_WAYS
    from models.reversals import TEACHER_KEPT_ANTONYMS

    assert (("narrow",), ("wide",)) in CHECKED_PAIRS and ("alive", "dead") in TEACHER_KEPT_ANTONYMS
    assert {("narrow", "wide"), ("wide", "narrow"), ("dead", "alive")} <= _BOTH_WAYS
    assert not set(TEACHER_KEPT_ANTONYMS) & set(REVERSAL_PAIRS)  # no pair counted twice
    assert not {(b, a) for a, b in TEACHER_KEPT_ANTONYMS} & set(REVERSAL_PAIRS)


def test_the_runtime_list_is_the_one_the_scorer_data_uses() -> None:
    from distill.perturb import FLIPS
    assert FLIPS is REVERSAL_PAIRS
    assert (("defeated", "voted down"), ("passed", "approved", "adopted")) in CHECKED_PAIRS
    assert (("up",), ("down",)) not in CHECKED_PAIRS and (("rose",), ("fell",)) in CHECKED_PAIRS
    assert default_pipeline().refusal("The House passed the bill.", Source("The bill was defeated in the House."),
                                      []).name == "reversal"  # type: ignore[union-attr]


@pytest.mark.parametrize(("source", "candidate", "shifted"), [
    # shown by student v2 on held-out news, every number kept
    ("The Pentagon already is digesting $450 billion of reductions over the next decade.",
     "The Pentagon is aware of $450 billion in cuts announced over the past decade.", [("next decade", "past decade")]),
    ("Compared with the same quarter last year, Cisco earned $729 million.",
     "This year, Cisco earned $729 million.", [("last year", "This year")]),
    ("Prices are expected to rise sharply next year due to higher energy costs.",
     "The rise in energy costs will lead to a steep increase this year.", [("next year", "this year")]),
    ("I saw her yesterday.", "I saw her today.", [("yesterday", "today")]),
])
def test_a_relative_date_that_points_elsewhere_is_found(source: str, candidate: str,
                                                         shifted: list[tuple[str, str]]) -> None:
    assert shifted_times(source, candidate) == shifted
    assert reversed_words(source, candidate) == shifted
    assert not KeepsDirection().accepts(candidate, Source(source), [])


@pytest.mark.parametrize(("source", "candidate"), [
    ("Prices will rise next year.", "Prices will go up in the coming year."),
    ("Sales fell last quarter.", "Sales dropped in the previous quarter."),
    ("This year sales beat last year.", "Sales this year were higher than last year."),
    ("Prices will rise next year.", "Prices will rise next week."),   # another unit: left to the scorer
    ("I saw her yesterday.", "I saw her."),   # dropped, not shifted: left to the scorer
    ("We met last week.", "We met during the last week of March."),
])
def test_relative_dates_kept_or_dropped_pass(source: str, candidate: str) -> None:
    assert shifted_times(source, candidate) == []


@pytest.mark.parametrize(("source", "candidate", "turned"), [
    # shown by student v2 (sessions 22-31): the team is leaving, not entering
    ("Czech representation team won 1:0 in Montenegro, and celebrates moving on to the European Championship.",
     "The team secured 1:0 in Montenegro, and is celebrating moving on from the European Championship.",
     [("to the European", "from the European")]),
    # PAWS-Wiki dev non-paraphrases
    ("She moved to Estonia from Finland with her parents at the age of 3 years.",
     "She moved from Estonia to Finland with her parents at the age of 3.", [("to Estonia", "from Estonia")]),
    # a lower-case question: the place is a rare word, then capitalised
    ("how long is my drive home from spokane", "What is the estimated time of my drive home to Spokane?",
     [("from spokane", "to Spokane")]),
    ("Many of them emigrated to Western Europe.", "Many of them emigrated from Western Europe.",
     [("to Western", "from Western")]),
])
def test_a_place_reached_from_the_other_side_is_found(source: str, candidate: str,
                                                      turned: list[tuple[str, str]]) -> None:
    assert turned_places(source, candidate) == turned
    assert reversed_words(source, candidate) == turned
    assert not KeepsDirection().accepts(candidate, Source(source), [])


@pytest.mark.parametrize(("source", "candidate"), [
    ("Flights from Boston to Denver are full.", "Flights to Denver from Boston are full."),   # same roles
    ("What is the distance in miles from Tulsa, OK to Oklahoma City, OK?",
     "How many miles separate Tulsa, OK from Oklahoma City, OK?"),   # a distance goes both ways
    ("how far is chicago to milwaukee", "How far is Chicago from Milwaukee?"),
    ("According to Reuters, the talks stalled.", "The talks stalled, a report from Reuters said."),   # no direction
    ("He wants to walk to the park.", "He wants to walk from the park."),   # not a name: left to the scorer
    ("The exhibition moved from Paris to London and back to Paris.", "The exhibition moved to London from Paris."),
])
def test_places_with_the_same_heading_or_no_anchor_pass(source: str, candidate: str) -> None:
    assert turned_places(source, candidate) == []


@pytest.mark.parametrize("source, candidate, turned", [
    # student v2 on held-out news, shown before the rule
    ("\"If there was a good quality candidate, I'd fight for him and not participate in the fight.\"",
     "If there was a quality candidate, I'd be in the fight against him and not participate.",
     [("fight for him", "fight against him")]),
    ("They voted overwhelmingly in favour of the bill.", "They voted against the bill.",
     [("voted overwhelmingly in favour of the bill", "voted against the bill")]),
    ("The court ruled against the company.", "The court ruled for the company.",
     [("ruled against the company", "ruled for the company")]),
])
def test_a_side_taken_the_other_way_is_found(source: str, candidate: str, turned: list[tuple[str, str]]) -> None:
    assert turned_stance(source, candidate) == turned
    assert default_pipeline().refusal(candidate, Source(source), []).name == "reversal"  # type: ignore[union-attr]


@pytest.mark.parametrize("source, candidate", [
    ("Sugar Corp. led the fight for his ouster.", "Sugar Corp. led the fight against Hoeveler."),  # MRPC: two things
    ("They voted for the bill.", "They backed the bill."),
    ("They voted for the bill.", "The bill got their votes."),
])
def test_the_same_side_or_another_thing_passes(source: str, candidate: str) -> None:
    assert turned_stance(source, candidate) == []
