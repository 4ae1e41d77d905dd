### Hearsay: suggested reply templates, English (Fluent, projectfluent.org).
### Also used for mentions in languages Hearsay does not analyse ("other").
###
### Every reply is a draft for a person: read it, fill in what stands in
### [square brackets], and only then post it.
###
### Form of address. English has one form, so there is one template per rule
### and [brands.address] en may say either "formal" or "informal": it changes
### nothing. `hearsay check` and the tests render every template and find
### missing slots.
###
### The brand's slots (from [[brands]] in the config):
###   { $brand }   — the brand's name (name)
###   { $product } — the product, as replies name it (product)
###   { $contact } — e-mail and/or phone (contact_email, contact_phone)
###   { $hours }   — when support answers (hours)
###   { $author }  — the mention's author (not always known; start a reply
###                  with { $hello } instead)
### A template that needs a slot the brand left unset is not suggested: the
### missing-slot note comes instead, naming the slot to fill.
###
### Pieces the program builds itself from the messages below:
###   { $hello } — the greeting: hello-named (name known) or hello
###   { $late }  — an apology for the wait (late) when the reply comes after
###                [replies] window; empty otherwise.
###
### Templates by playbook rule (id = rule):
###   question, complaint, complaint-manual, resolved, incident,
###   suspected-fake, insult, troll, obscene, spam, ad, constructive,
###   praise, acknowledge.
### The moderation ones (obscene, spam, ad, troll) are a note to the
### moderator and, where the author must be told which rule was broken
### (obscene, spam), the message to the author.
###
### Deadlines are written { -within-hours(n: 24) }: "24 hours", "1 hour".

## Pieces

hello-named = Hi { $author }!
hello = Hi there!

# { $waited } is the duration from waited-minutes / waited-hours / waited-days.
late = Sorry for the slow reply: you've been waiting { $waited }.

waited-minutes =
    { $n ->
        [one] { $n } minute
       *[other] { $n } minutes
    }
waited-hours =
    { $n ->
        [one] { $n } hour
       *[other] { $n } hours
    }
waited-days =
    { $n ->
        [one] { $n } day
       *[other] { $n } days
    }

-within-hours =
    { $n ->
        [one] { $n } hour
       *[other] { $n } hours
    }

# { $contact } when both an e-mail address and a phone number are set.
contact-both = { $email }, phone { $phone }

# The note that comes instead of a draft when a brand slot is unset.
missing-slot =
    No draft: the template "{ $template }" needs { $count ->
        [one] the slot { $slots }. Fill it
       *[other] the slots { $slots }. Fill them
    } in the config of brand { $brand }: { $keys }.

## Question: answer fast and fully, with options; if it needs time, say it is being handled and when we come back.

question =
    { $hello } { $late } Thanks for asking! [The answer, short and concrete.] There are a few options: [option 1]; [option 2]. If you're not sure which suits you best, just ask here and we'll help you choose.
    (If the answer needs time, use this instead:) { $hello } We're already looking into your question and will come back to you here within { -within-hours(n: 2) }.

## Complaint: acknowledge, apologise plainly where we are at fault, move the detail to e-mail or phone, promise a follow-up.

complaint =
    { $hello } { $late } Thank you for telling us, and we're sorry: this shouldn't have happened. We're already looking into it. So we don't have to go through the details in public, could you get in touch at { $contact } (we're there { $hours })? That way we can find out what happened faster and help you personally. We'll get back to you within { -within-hours(n: 24) }, and once it's sorted we'll say so here too.

## "Your fault for not reading the manual": calm and clear, never condescending, never a joke at the author.

complaint-manual =
    { $hello } { $late } Thanks for letting us know, and sorry this wasn't clearer. Here's how to do it: [the steps in order, in plain words]. If anything still doesn't work, get in touch at { $contact } (we're there { $hours }) and we'll go through it with you.

## Resolved: say so in the same thread.

resolved =
    { $hello } Good news: this is now solved. [What we did.] Thank you for your patience, and for telling us: it helped us find the cause faster. If anything goes wrong again, we're at { $contact }.

## Incident: explain first and in public what happened and what is being done.

incident =
    { $hello } { $late } Yes, { $brand } has a problem right now: [what doesn't work, and since when]. We know about it and are working on a fix: [what we are doing]. We'll post an update here within { -within-hours(n: 2) }. Sorry for the trouble; we know the timing is bad.

## Suspected fake: ask for the order number and purchase date.

suspected-fake =
    { $hello } We're sorry to hear this, and we want to get to the bottom of it. Could you get in touch at { $contact } with your order number and the purchase date? We'll look into it straight away.

## Insult: never answer in kind and never quote it; a reasoned reply, and a word that the comment insults people.

insult =
    { $hello } We can see you're really unhappy, and we want to help with the actual problem: please tell us what happened, right here or directly at { $contact }. But please leave out the insults: they hurt the people at { $brand } who are trying to help, and both personal honour and a company's reputation are protected by law.

## Troll: a note to the moderator: do not engage, and why.

troll =
    For the moderator: we recommend not replying. The comment is off the topic and carries no concern, no reasoned claim and nothing constructive: most likely a troll, and a reply only feeds it. Check the author's account history before engaging; if there is a real problem in it, answer that.

## Obscene: hide it and tell the author which community rule was broken.

obscene =
    For the moderator: hide this comment: it contains swear words, which breaks the community rule "no swearing". Tell the author which rule was broken: a comment that silently disappears looks like censorship.
    To the author: { $hello } We've hidden your comment because it contains swear words, and our community rule says: no swearing. You're very welcome to post it again without them, and we'll read it and reply.

## Spam repeats: keep the first, remove the repeats, explain and warn; still solve the complaint.

spam =
    For the moderator: this is a repeat: the author has posted the same comment under other posts. Keep the first, remove the repeats, and tell the author why, with a warning. The complaint in the first comment still needs solving.
    To the author: { $hello } We've kept your first comment and will answer you there, but removed the copies under other posts: our community rule "no spam" doesn't allow the same message again and again. Please don't post it again, or we'll have to block your comments. For a faster answer, write to us at { $contact }.

## Ad: remove and ban; no explanation owed.

ad =
    For the moderator: this is unauthorised advertising: remove it and ban the author. No explanation is owed.

## Constructive criticism: thank the author for the advice.

constructive =
    { $hello } Thank you for the advice, that's really useful! We've passed it on to the { $brand } team. [What we plan to do, or when we'll come back to you.] If you have more ideas, we'd love to hear them.

## Praise: thank and encourage.

praise =
    { $hello } Thank you so much for the kind words! We're really glad you like { $product }, and we'll pass this on to the team: it will make their day. If you have ideas for making it even better, do tell us.

## Anything else awaiting an answer: never leave anyone hanging.

acknowledge =
    { $hello } Thanks for writing! We've passed your message on to [customer service / the right colleague] and will get back to you within { -within-hours(n: 24) }.
