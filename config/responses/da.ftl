### Hearsay: skabeloner til foreslåede svar, dansk (Fluent, projectfluent.org).
###
### Hvert svar er et udkast til et menneske: læs det, udfyld det, der står i
### [kantede parenteser], og udgiv det først derefter.
###
### Tiltale. Danske svar siger du: det formelle De er gammeldags, og
### konfigurationen tager kun imod [brands.address] da = "informal". Skriv
### derfor aldrig De, Dem eller Deres til forfatteren. `hearsay check` og
### testene gengiver hver skabelon og finder blandede former og manglende felter.
###
### Brandets felter (fra [[brands]] i konfigurationen):
###   { $brand }   — brandets navn (name)
###   { $product } — produktet, som svarene nævner det (product)
###   { $contact } — e-mail og/eller telefon (contact_email, contact_phone)
###   { $hours }   — supportens åbningstid (hours)
###   { $author }  — forfatterens navn (kendes ikke altid; brug { $hello } først i svaret)
### En skabelon, der mangler et felt, bliver ikke foreslået: i stedet kommer
### beskeden missing-slot, der siger, hvilket felt der skal udfyldes.
###
### Stykker, som programmet selv sætter sammen af beskederne nedenfor:
###   { $hello } — hilsen: hello-named (navnet kendes) eller hello
###   { $late }  — undskyldning for ventetiden (late), når svaret kommer efter
###                [replies] window; ellers tom.
###
### Skabeloner efter playbookens regler (id = regel):
###   question, complaint, complaint-manual, resolved, incident,
###   suspected-fake, insult, troll, obscene, spam, ad, constructive,
###   praise, acknowledge.
### Moderationsskabelonerne (obscene, spam, ad, troll) er en note til
### moderatoren og, hvor forfatteren skal have at vide, hvilken regel der er
### brudt (obscene, spam), beskeden til forfatteren.
###
### Frister skrives { -within-hours(n: 24) }: "24 timer" med rigtig bøjning.

## Stykker

hello-named = Hej { $author }!
hello = Hej!

# { $waited } er varigheden fra waited-minutes / waited-hours / waited-days.
late = Undskyld, at vi først svarer nu – du har ventet { $waited }.

waited-minutes =
    { $n ->
        [one] { $n } minut
       *[other] { $n } minutter
    }
waited-hours =
    { $n ->
        [one] { $n } time
       *[other] { $n } timer
    }
waited-days =
    { $n ->
        [one] { $n } dag
       *[other] { $n } dage
    }

-within-hours =
    { $n ->
        [one] { $n } time
       *[other] { $n } timer
    }

# { $contact }, når både e-mail og telefon er udfyldt.
contact-both = { $email }, tlf. { $phone }

# Besked i stedet for et udkast, når et af brandets felter mangler.
missing-slot =
    Intet udkast: skabelonen "{ $template }" mangler { $count ->
        [one] feltet { $slots }. Udfyld det
       *[other] felterne { $slots }. Udfyld dem
    } i konfigurationen for brandet { $brand }: { $keys }.

## Spørgsmål: hurtigt og fyldestgørende, med muligheder; kræver svaret tid, så sig, at vi er i gang, og hvornår vi vender tilbage.

question =
    { $hello } { $late } Tak for dit spørgsmål! [Svaret, kort og konkret.] Der er et par muligheder: [mulighed 1]; [mulighed 2]. Er du i tvivl om, hvad der passer dig bedst, så spørg endelig her – vi hjælper gerne.
    (Hvis svaret kræver tid, så i stedet:) { $hello } Vi er allerede i gang med dit spørgsmål og vender tilbage her inden for { -within-hours(n: 2) }.

## Klage: anerkend, undskyld ligeud, hvis fejlen er vores, flyt detaljerne til e-mail eller telefon, og lov at følge op.

complaint =
    { $hello } { $late } Tak, fordi du skriver til os – og undskyld, det burde ikke være sket. Vi er allerede ved at se på det. Så vi ikke skal tage detaljerne her, hvor alle kan se med, vil du så skrive til os på { $contact } (vi sidder klar { $hours })? Så kan vi hurtigere finde ud af, hvad der er sket, og hjælpe dig personligt. Vi vender tilbage til dig inden for { -within-hours(n: 24) }, og når det er løst, skriver vi det også her.

## "Du burde have læst vejledningen": roligt og klart, aldrig nedladende, aldrig sjov på forfatterens bekostning.

complaint-manual =
    { $hello } { $late } Tak, fordi du skriver – og undskyld, at det ikke var mere indlysende. Sådan gør du: [trinene i rækkefølge, med enkle ord]. Hvis det stadig driller, så skriv til os på { $contact } (vi sidder klar { $hours }), så går vi det igennem sammen med dig.

## Løst: sig det i samme tråd.

resolved =
    { $hello } Godt nyt: problemet er løst. [Hvad vi har gjort.] Tak for din tålmodighed – din besked hjalp os med at finde fejlen hurtigere. Hvis noget driller igen, så skriv til { $contact }.

## Hændelse: forklar først og offentligt, hvad der er sket, og hvad vi gør.

incident =
    { $hello } { $late } Ja, der er lige nu en fejl hos { $brand }: [hvad der ikke virker, og siden hvornår]. Vi kender til den og arbejder på at løse den: [hvad vi gør]. Vi skriver en opdatering her inden for { -within-hours(n: 2) }. Undskyld ulejligheden – vi ved godt, at det kommer på et dårligt tidspunkt.

## Mistanke om falsk anmeldelse: bed om ordrenummer og købsdato.

suspected-fake =
    { $hello } Det er vi kede af at høre, og vi vil gerne finde ud af, hvad der er sket. Vil du sende dit ordrenummer og købsdatoen til { $contact }? Så går vi i gang med det samme.

## Fornærmelse: aldrig svare igen i samme tone og aldrig citere; svar sagligt, og sig, at kommentaren fornærmer.

insult =
    { $hello } Vi kan se, at du er rigtig utilfreds, og vi vil gerne hjælpe med selve sagen: skriv gerne, hvad der er sket, her eller på { $contact }. Men vi beder dig lade fornærmelserne ligge: de rammer de mennesker hos { $brand }, som prøver at hjælpe, og både personers ære og virksomheders omdømme er beskyttet af loven.

## Trold: note til moderatoren – svar ikke, og hvorfor.

troll =
    Til moderatoren: vi anbefaler ikke at svare. Kommentaren er uden for emnet og rummer hverken et konkret problem, et begrundet synspunkt eller et forslag – det ligner en trold, og et svar giver den bare mere næring. Se forfatterens kontohistorik, før der svares; er der et reelt problem, så svar på det.

## Bandeord: skjul kommentaren, og fortæl forfatteren, hvilken fællesskabsregel der er brudt.

obscene =
    Til moderatoren: skjul kommentaren – den indeholder bandeord og bryder fællesskabets regel "ingen bandeord". Fortæl forfatteren, hvilken regel der er brudt: en kommentar, der bare forsvinder, ligner censur.
    Til forfatteren: { $hello } Vi har skjult din kommentar, fordi den indeholder bandeord, og vores fællesskabsregel siger: ingen bandeord. Du er meget velkommen til at skrive den igen uden – så læser vi den og svarer.

## Spam-gentagelser: behold den første, fjern gentagelserne, forklar og advar; klagen skal stadig løses.

spam =
    Til moderatoren: det er en gentagelse – forfatteren har skrevet den samme kommentar under andre opslag. Behold den første, fjern gentagelserne, og forklar forfatteren hvorfor, med en advarsel. Klagen i den første kommentar skal stadig løses.
    Til forfatteren: { $hello } Vi har beholdt din første kommentar og svarer dig der, men fjernet gentagelserne under de andre opslag: vores fællesskabsregel "ingen spam" tillader ikke den samme besked igen og igen. Lad være med at skrive den igen – ellers bliver vi nødt til at lukke for dine kommentarer. Vil du have hurtigere hjælp, så skriv til { $contact }.

## Reklame: fjern og bloker, ingen forklaring nødvendig.

ad =
    Til moderatoren: det er uautoriseret reklame – fjern den og bloker forfatteren. Der skal ikke gives nogen forklaring.

## Konstruktiv kritik: tak for rådet.

constructive =
    { $hello } Tak for et rigtig godt råd! Vi har givet det videre til holdet bag { $brand }. [Hvad vi vil gøre, eller hvornår vi vender tilbage.] Har du flere idéer, hører vi meget gerne fra dig.

## Ros: tak og opmuntr.

praise =
    { $hello } Tusind tak for de søde ord! Vi er rigtig glade for, at du kan lide { $product }, og vi giver dem videre til holdet – det bliver de glade for. Har du idéer til, hvad vi kan gøre endnu bedre, så sig endelig til.

## Andet, der venter på svar: lad aldrig nogen hænge.

acknowledge =
    { $hello } Tak, fordi du skrev! Vi har givet din besked videre til [kundeservice / den rette kollega] og vender tilbage inden for { -within-hours(n: 24) }.
