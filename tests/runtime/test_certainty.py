"""How sure a sentence is: "likely" is not "possibly", nor "almost certain"."""

from __future__ import annotations

import pytest

from models.certainty import Sureness, certainty, changed_certainty, dropped_hedge, hedges, states_what_is, unrealized


@pytest.mark.parametrize("text, degrees", [
    ("The vote is likely to pass.", {"probable"}),
    ("It will probably pass.", {"probable"}),
    ("It is almost certain to pass.", {"certain"}),
    ("She is certainly right.", {"certain"}),
    ("It may rain tonight.", {"possible"}),
    ("Perhaps he left early.", {"possible"}),
    ("This is probably not true.", {"unlikely"}),
    ("An appeal is unlikely.", {"unlikely"}),
    ("Prices are expected to rise.", {"probable"}),
    ("Skeptics are not expected to come.", {"unlikely"}),
    ("As expected, prices rose.", set()),  # it happened
    ("They met in May.", set()),  # the month
    ("Certain groups opposed it.", set()),  # a determiner
    ("It applies to certain types of cars.", set()),
    ("The results were published.", set()),
])
def test_degrees_are_read(text: str, degrees: set[str]) -> None:
    assert certainty(text) == degrees


@pytest.mark.parametrize("source, text, changed", [
    ("An appeal is likely soon.", "An appeal is possibly coming soon.", True),
    ("An appeal is likely soon.", "An appeal is almost certain soon.", True),
    ("It will probably pass.", "It is unlikely to pass.", True),
    ("An appeal is likely soon.", "An appeal will probably come soon.", False),
    ("An appeal is likely soon.", "An appeal is expected soon.", False),
    ("But this is thought to be unlikely.", "But this is the expected outcome.", True),
    ("An appeal is likely soon.", "An appeal will come soon.", False),  # dropped: vaguer or firmer, not turned
    ("The appeal was filed in May.", "The appeal was filed in May, perhaps late.", False),  # nothing said before
])
def test_a_degree_given_in_place_of_another_is_a_change(source: str, text: str, changed: bool) -> None:
    assert (changed_certainty(certainty(source), text) is not None) == changed


@pytest.mark.parametrize("text, said", [
    ("Commodities trading may be reduced or stopped completely.", {"possible"}),
    ("The problem likely will mean corrective changes.", {"probable"}),
    ("An appeal is unlikely.", {"unlikely"}),
    ("Is it possible to delete a question?", set()),  # a question asks, it states nothing
    ("Troy is expected to be sentenced on July 3.", set()),  # foreseen: "will", "is set to" say it too
    ("It may not be Shrek, but it's not that bad either.", set()),  # a concession, not a hedge
    ("While she may have died in 1982, she is the new cover star.", set()),
    ("I am to dress Miranda Kerr whom you may know from the campaigns.", set()),  # politeness
    ("what flights arrive may seventh", set()),  # the month, lower-cased
    ("what flights arrive on the 7th of may", set()),  # the month, as the facts check reads it
    ("We may first ask them.", {"possible"}),  # a verb: "first" after "may" is no day
    ("She is certainly right.", set()),  # certain is no hedge
    # held-out news: what the policy enabled, not a hedge ("enabled us to create" was refused)
    ("The energy policy made it possible to establish 125 000 jobs.", set()),
    ("Reply as soon as possible.", set()),
    ("We want the best possible outcome.", set()),  # a superlative stressed, not a hedge
    ("Use local produce where possible.", set()),
    ("It took the lowest possible bid.", set()),
    ("Now the Senate may be ready to act.", {"possible"}),
])
def test_hedges_are_the_degrees_a_statement_is_hedged_with(text: str, said: set[str]) -> None:
    assert hedges(text) == said


@pytest.mark.parametrize("source, text, dropped", [
    # student v2 on held-out news, shown before the check
    ("Commodities trading may be reduced or stopped completely.", "Commodities trading will stop completely.", True),
    ("Commodities trading may be reduced or stopped completely.", "Commodities trading is halted or stopped completely.",
     True),
    # MRPC pairs labelled paraphrases that a writer would not take
    ("Patients with IBS may also be infected with MAP.", "Patients with IBS were also infected with MAP.", True),
    ("The island reported another 35 probable cases yesterday.", "Taiwan reported 35 new infections yesterday.", True),
    ("An appeal is unlikely.", "An appeal will come.", True),
    ("The deal will likely close in May.", "The deal closes in May.", True),  # "May" is the month, no hedge
    # kept, in the same or other words
    ("Commodities trading may be reduced or stopped completely.", "Trading in commodities might be cut or halted.",
     False),
    ("Commodities trading may be reduced or stopped completely.", "Commodities trading could shrink or stop.", False),
    ("The deal will likely close in May.", "The deal is set to close in May.", False),
    ("The case may mark the first time.", "Experts think the case marks the first time.", False),
    ("It is possible to sail to her birthplace.", "You can sail to her birthplace.", False),
    ("Results were likely to be in the spotlight.", "Results were able to be in the spotlight.", True),
    ("Prices are expected to rise.", "Prices will rise.", False),  # not a hedge this check asks for
    # held-out news, student v2: the three flat cards the check refuses, and one it keeps
    ("Now the Senate may be ready to act.", "The Senate is now ready to take action.", True),
    ("Now the Senate may be ready to act.", "The Senate may soon be in position to act.", False),
    ("Possible attack on Iran has been discussed.", "In Israel, there is speculation about an attack on Iran.", False),
])
def test_a_hedge_the_candidate_drops_altogether_is_found(source: str, text: str, dropped: bool) -> None:
    assert (dropped_hedge(hedges(source), text) is not None) == dropped


@pytest.mark.parametrize("source, text, words", [
    # shown on held-out news, student v2: what happened made imminent, likely, intended or attempted
    ("In recent days, Italy's borrowing costs have soared dangerously and the prime ministers of both Italy and "
     "Greece have resigned.", "In recent days, Italy's borrowing rates have risen sharply and the Prime Ministers of "
     "both Italy and Greece are now on the verge of resigning.", "on the verge of"),
    ("6,000 young people at risk of exclusion have been helped.", "6,000 young people at risk are likely to be helped.",
     "likely to"),
    ("Hungry Labrador turns on hotplate - apartment fire", "Hungry Labrador is set to burn hotplate - apartment fire.",
     "is set to"),
    ("Damjanovic took a shot that just missed Cech's goal.", "Damjanovic's attempt to take a shot was thwarted by Cech.",
     "attempt to"),
    ("The company was acquiring the assets.", "The company intends to acquire the assets.", "intends to"),
    # harm made a threat, shown on held-out news (2026-12-04)
    ("Fear of recession in Europe depresses US stock exchange",
     "Fear of recession in Europe poses a significant threat to the US stock market.", "poses a significant threat to"),
    # the same event, stated as done
    ("The committee postponed the vote.", "The committee decided to put off the vote.", None),
    ("She fixed the roof last week.", "Last week she repaired the roof.", None),
    ("He went to the store.", "He walked over to the shop.", None),
    # a source that already speaks of a plan, the future or a condition may say it another way
    ("The national band will open the show in Costa Rica.", "The national band is set to open the show.", None),
    ("SAP plans to double its workforce in China.", "SAP is set to double its workforce in China.", None),
    ("If it rains, the match is cancelled.", "The match is likely to be cancelled if it rains.", None),
    ("He said the chemical was a cancer risk to humans.", "He said the chemical poses a cancer risk to humans.", None),
    ("Did the committee postpone the vote?", "Is the committee about to postpone the vote?", None),
])
def test_what_the_source_states_as_done_stays_done(source: str, text: str, words: str | None) -> None:
    assert unrealized(states_what_is(source), text) == words


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    ("Critics say the plan could raise taxes for the middle class.", "The plan will raise taxes for the middle class.",
     True),
    ("Critics say the plan could raise taxes for the middle class.", "The plan may push up middle-class taxes.", False),
    ("He could not find the keys anywhere.", "He was unable to find the keys anywhere.", False),
    ("Malvo was brought in so a witness could identify him.", "Malvo was brought in to let a witness identify him.",
     False),
    ("I would be glad if you could send the details.", "Please send the details.", False),
])
def test_could_is_a_hedge(source: str, candidate: str, changed: bool) -> None:
    assert Sureness.of(source).changed_by(candidate) is changed


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    ("Police arrested the alleged killer at his home on Friday.", "On Friday, police arrested the killer at his home.",
     True),
    ("The suspected gunman was taken into custody late on Tuesday.", "Late on Tuesday, authorities detained the gunman.",
     True),
    ("The company reportedly plans to close its factory in Ohio.", "The firm intends to shut down its Ohio plant.", True),
    ("Police arrested the alleged killer at his home on Friday.", "On Friday, police arrested the man accused of the "
     "killing at his home.", False),
    ("The company reportedly plans to close its factory in Ohio.", "According to reports, the firm will shut its Ohio "
     "plant.", False),
])
def test_what_is_alleged_is_not_stated_as_fact(source: str, candidate: str, changed: bool) -> None:
    assert Sureness.of(source).changed_by(candidate) is changed


def test_a_plan_the_noun_keeps_no_hedge() -> None:
    """"plan" the noun kept "could" before: _HEDGE_KEPT read it as "plans to"."""
    assert Sureness.of("The plan could fail.").changed_by("The plan will fail.")
    assert not Sureness.of("The firm may close.").changed_by("The firm plans to close.")


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    ("The museum will reopen to the public after the renovation.",
     "The museum reopened to the public after the renovation.", True),
    ("It will also unveil a version of its server software.", "It also unveiled an update to its server software.", True),
    ("The campaign will be formally launched on Wednesday.", "The campaign was launched on Wednesday.", True),
    ("It will take two years to finish.", "Finishing took two years.", True),
    # the future kept, or another verb in the past
    ("The museum will reopen after the renovation.", "After the renovation the museum is set to reopen.", False),
    ("About 1,500 police will be deployed for the visit.", "Around 1,500 police are to be deployed for the visit.",
     False),
    ("The museum, which closed in May, will reopen in June.", "Closed since May, the museum reopens in June.", False),
    ("It is a matter of free will.", "It was a matter of free choice.", False),
])
def test_what_will_happen_is_not_told_as_done(source: str, candidate: str, changed: bool) -> None:
    assert Sureness.of(source).changed_by(candidate) is changed


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    ("If the talks fail, oil prices will rise sharply next month.",
     "Oil prices will rise sharply next month because the talks failed.", True),
    ("If accepted by the judge, the plea will leave Brown to stand trial alone.",
     "The plea will leave Brown to stand trial alone.", True),
    ("If the talks fail, oil prices will rise sharply next month.",
     "Should the talks fail, oil prices are set to rise sharply next month.", False),
    ("Prices will rise unless the talks succeed.", "Without a deal at the talks, prices will rise.", False),
    # no condition: "whether", politeness, a generic "if you", a concession
    ("Taxpayers unsure if they are owed refunds can use the site.", "You can use the site to track refunds.", False),
    ("I would appreciate it if you could show me the flights.", "Please show me the flights.", False),
    ("If you care about your time, avoid this film.", "Value your time and avoid this film.", False),
    ("Even if it rains, the game goes on.", "The game goes on in the rain.", False),
])
def test_a_condition_is_not_dropped(source: str, candidate: str, changed: bool) -> None:
    assert Sureness.of(source).changed_by(candidate) is changed


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    # passed every check before 2026-12-04's rules (0.28 and 0.41 on their cards)
    ("He tried to escape from the prison.", "He escaped from the prison.", True),
    ("The company plans to hire 200 workers.", "The company has hired 200 workers.", True),
    ("The bill is expected to be approved on Friday.", "The bill was approved on Friday.", True),
    # the attempt or plan kept, another verb in the past, or the source says it happened too
    ("He tried to escape from the prison.", "He attempted an escape from the prison.", False),
    ("The company plans to hire 200 workers.", "The company intends to hire 200 workers.", False),
    ("She tried to call him and then left.", "She left after trying to call him.", False),
    ("She tried to escape twice and finally escaped in 1990.", "She escaped in 1990 after two attempts.", False),
])
def test_what_was_only_tried_or_planned_is_not_told_as_done(source: str, candidate: str, changed: bool) -> None:
    assert Sureness.of(source).changed_by(candidate) is changed


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    ("The factory will close unless a buyer is found.", "The factory will close if a buyer is found.", True),
    ("The factory will close unless a buyer is found.", "The factory will close if no buyer is found.", False),
    ("The factory will close unless a buyer is found.", "Unless a buyer is found, the factory will close.", False),
    ("The factory will close unless a buyer is found.", "The factory will close if it fails to find a buyer.",
     False),
    ("The factory will close unless a buyer is found.", "The factory stays open only if a buyer is found.", False),
    ("Will the factory close unless a buyer is found?", "Will the factory close if a buyer is found?", False),
])
def test_unless_is_not_made_if(source: str, candidate: str, changed: bool) -> None:
    assert Sureness.of(source).changed_by(candidate) is changed


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    # passed every check before (0.21 and 0.50 on their cards)
    ("Employees must wear a badge at all times.", "Employees may wear a badge at all times.", True),
    ("Employees must wear a badge at all times.", "Employees are encouraged to wear a badge at all times.", True),
    ("Visitors are required to sign in.", "Visitors can sign in if they want.", True),
    # the duty kept, dropped without a permission, or no duty at all
    ("Employees must wear a badge at all times.", "Staff have to wear a badge at all times.", False),
    ("Employees must wear a badge at all times.", "A badge is required at all times.", False),
    ("We must come together as parents.", "As parents, our responsibility is to stay united.", False),
    ("This salon is a must-visit.", "You may want to visit this salon.", False),
    ("He must be tired after the trip.", "He may be tired after the trip.", False),   # a guess: how sure, not a duty
    ("I have to travel far to get home.", "Can you tell me how far my trip home is?", False),
    ("You don't have to pay for the rooms.", "You may stay in the rooms for free.", False),
    # and the other way: a choice made a duty (passed every check at 0.46)
    ("You can park here after 6 p.m.", "You must park here after 6 p.m.", True),
    ("Visitors may bring their own food.", "Visitors are required to bring their own food.", True),
    ("You can park here after 6 p.m.", "Parking here is allowed after 6 p.m.", False),
    ("Can you help me find a hotel?", "You must help me find a hotel?", False),   # a request, and a question
])
def test_an_obligation_is_not_made_a_permission(source: str, candidate: str, changed: bool) -> None:
    assert Sureness.of(source).changed_by(candidate) is changed


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    # each passed every check before (0.27-0.55 on their cards)
    ("The minister is believed to have resigned.", "The minister has resigned.", True),
    ("The rebels appear to control the city.", "The rebels control the city.", True),
    ("The new drug seems to reduce pain.", "The new drug reduces pain.", True),
    ("He is said to be the richest man in town.", "He is the richest man in town.", True),
    ("Early results suggest the treatment works.", "The treatment works.", True),
    ("Analysts predict that sales will fall.", "Sales will fall.", True),
    # the report, the look of it or a hedge kept
    ("The minister is believed to have resigned.", "The minister has reportedly resigned.", False),
    ("The rebels appear to control the city.", "The rebels look to be in control of the city.", False),
    ("The new drug seems to reduce pain.", "The new drug may reduce pain.", False),
    ("Early results suggest the treatment works.", "Early findings indicate that the treatment is effective.", False),
    ("Analysts predict that sales will fall.", "Sales are forecast to drop, analysts say.", False),
    # an opinion, not a report: the writer's own "it seems to me" may be said another way
    ("It seems to me that this place has closed for good.", "I feel this venue is no longer open.", False),
    ("I seem to have lost my keys again.", "I have lost my keys again.", False),
])
def test_what_is_only_believed_or_seen_is_not_stated_as_fact(source: str, candidate: str, changed: bool) -> None:
    assert Sureness.of(source).changed_by(candidate) is changed


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    # each passed every check before (0.21-0.45 on their cards)
    ("The firm aims to double its sales.", "The firm will double its sales.", True),
    ("She hopes to win the election.", "She will win the election.", True),
    ("The bill is intended to protect children.", "The bill protects children.", True),
    ("The government promised to lower taxes.", "The government lowered taxes.", True),
    ("He was asked to leave the meeting.", "He left the meeting.", True),
    # the aim, the wish or the design kept in other words
    ("The firm aims to double its sales.", "The firm's goal is to double its sales.", False),
    ("She hopes to win the election.", "She is hoping for an election victory.", False),
    ("The bill is intended to protect children.", "The bill is designed to protect children.", False),
    ("The government promised to lower taxes.", "The government pledged a tax cut.", False),
    ("The handset is designed to offer free calls.", "The handset can make free calls.", False),
    # a wish with "would like": read on a fresh news card ("believes it is best to avoid")
    ("President Napolitano would like to avoid an early election.", "President Napolitano believes it is best to "
     "avoid an early election.", True),
    ("President Napolitano would like to avoid an early election.", "President Napolitano is keen to avoid an "
     "early election.", False),
    ("I would like to know the way to the station.", "Tell me the way to the station.", False),
    # the writer's own wish or advice, and news's "intends to" for "will"
    ("I want to know the fastest way to the airport.", "What is the fastest route to the airport?", False),
    ("If you don't want to waste money, avoid it.", "Avoid it to save money.", False),
    ("Aim to visit early, before the queue.", "Visit early, before the queue forms.", False),
    ("The government intends to introduce the bill later this year.", "The government will introduce the bill "
     "later this year.", False),
])
def test_what_is_only_meant_or_wished_is_not_stated_as_what_will_be(source: str, candidate: str,
                                                                     changed: bool) -> None:
    assert Sureness.of(source).changed_by(candidate) is changed
