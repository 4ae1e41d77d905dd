//! The demo's texts, kept apart from the markup in [`super::site`] so the
//! writing can be read and edited in one place.
//!
//! Every text is original and short. Together they cover what a reputation
//! manager meets (see PLAYBOOK.md): questions, complaints after an outage,
//! praise, constructive criticism, a troll, a spammer repeating one comment,
//! masked obscenity, a vague one-star review, the brand's own answer, a
//! namesake that must not count ("Nordlys Hotel") and texts naming no brand.
//! Times are relative to the real clock so the demo always looks fresh.

/// A blog post or news article.
pub struct Article {
    /// File name without extension; also the feed item's identity.
    pub slug: &'static str,
    pub title: &'static str,
    pub author: &'static str,
    /// Published this many hours before now.
    pub hours_ago: i64,
    pub paragraphs: &'static [&'static str],
}

/// When a comment was written, in the forms forums print.
#[derive(Clone, Copy)]
pub enum When {
    /// An absolute time, this many hours ago, shown in `<time datetime>`.
    HoursAgo(i64),
    /// Local "today at HH:MM", this many minutes ago ("yesterday" after midnight).
    MinutesAgo(i64),
    /// Local "yesterday at HH:MM".
    YesterdayAt(u32, u32),
    /// Local day and month without a year, `days` ago at HH:MM ("11月20日 10:15").
    DaysAgoShort(i64, u32, u32),
    /// Local day, month and year, `days` ago at HH:MM.
    DaysAgoLong(i64, u32, u32),
}

/// One forum comment.
pub struct Comment {
    /// Becomes the DOM id (`c101`, `p3`).
    pub id: u32,
    pub author: &'static str,
    pub when: When,
    pub text: &'static str,
}

/// One review with a star rating.
pub struct Review {
    pub id: u32,
    pub author: &'static str,
    pub hours_ago: i64,
    pub stars: u8,
    pub title: &'static str,
    pub text: &'static str,
}

// ---------------------------------------------------------------- ru blog

/// "Деньги под контролем": a personal-finance blog in windows-1251 whose RSS
/// feed carries teasers only.
pub const RU_BLOG: &[Article] = &[
    Article {
        slug: "nordlys-tarify",
        title: "Нордлис: разбираем новые тарифы",
        author: "Алексей Громов",
        hours_ago: 2,
        paragraphs: &[
            "Нордлис обновил линейку тарифов: теперь их три, и самый простой стал бесплатным при покупках от 10 000 руб. в месяц.",
            "Средний тариф «Семейный» позволяет подключить до четырёх карт, но кешбэк на всех общий, и это стоит учитывать.",
            "Дорогой тариф оправдан, только если вы часто ездите за границу: в него входят страховка и бесплатные переводы в валюте.",
            "Мой вывод: большинству хватит бесплатного, а «Семейный» выгоден, когда в семье больше двух активных карт.",
        ],
    },
    Article {
        slug: "sboy-nordlys",
        title: "Сбой в приложении Nordlys: что известно к обеду",
        author: "Алексей Громов",
        hours_ago: 5,
        paragraphs: &[
            "С утра читатели пишут, что приложение Nordlys не открывается: вход по отпечатку не срабатывает, а по паролю выдаёт ошибку сервера.",
            "В банке подтвердили сбой и пообещали, что деньги клиентов в безопасности, а переводы, отправленные во время сбоя, будут проведены.",
            "Официального объяснения причин пока нет, страницы статуса у банка тоже нет.",
            "Если вам срочно нужно заплатить, карта в магазине работает: сбой затронул только приложение.",
        ],
    },
    Article {
        slug: "nordlys-ili-fjordbank",
        title: "Нордлис или Fjordbank: где дешевле обслуживание",
        author: "Ирина Соколова",
        hours_ago: 3 * 24,
        paragraphs: &[
            "Я сравнила два банка, о которых меня чаще всего спрашивают: Нордлис и Fjordbank.",
            "У Fjordbank обслуживание стоит 199 руб. в месяц, если на счёте меньше 30 000 руб., а у Нордлиса базовый тариф бесплатен без условий.",
            "Зато Fjordbank выигрывает по вкладам: ставка выше почти на процент, и есть отделения в крупных городах.",
            "Для повседневных трат я бы выбрала Нордлис, для накоплений — Fjordbank.",
        ],
    },
    Article {
        slug: "semeyny-byudzhet",
        title: "Как я веду семейный бюджет в таблице",
        author: "Ирина Соколова",
        hours_ago: 5 * 24 + 3,
        paragraphs: &[
            "Пять лет я веду бюджет в обычной таблице, и ни одно приложение пока её не заменило.",
            "Главное правило — записывать траты в тот же день, иначе через неделю уже не вспомнишь, куда ушли деньги.",
            "Раз в месяц мы с мужем садимся и смотрим, какие категории выросли, и решаем, что урезать.",
            "Шаблон таблицы выложу в следующем посте.",
        ],
    },
    Article {
        slug: "itogi-keshbeka",
        title: "Итоги года по кешбэку: кто заплатил больше всех",
        author: "Алексей Громов",
        hours_ago: 20 * 24,
        paragraphs: &[
            "Я год записывал, сколько кешбэка вернули мне разные карты.",
            "Лидером неожиданно оказалась карта Нордлиса: 14 300 руб. за год, в основном за продукты и такси.",
            "Минус у Нордлиса один — категории повышенного кешбэка надо выбирать каждый месяц вручную, и я дважды забыл это сделать.",
        ],
    },
];

// -------------------------------------------------------------- ru forum

/// The spammer's one comment, posted again and again.
pub const RU_SPAM: &str = "ВНИМАНИЕ!!! Nordlys блокирует карты без объяснений и месяцами не возвращает деньги. Не доверяйте им, пишите жалобы в ЦБ, пока не поздно!!!";

/// Page 1 of the forum thread "Nordlys — стоит ли переходить?".
pub const RU_FORUM_PAGE1: &[Comment] = &[
    Comment {
        id: 101,
        author: "marina_k",
        when: When::DaysAgoLong(9, 19, 4),
        text: "Подскажите, кто пользуется Нордлисом: можно ли подключить тариф «Семейный» сразу на две детские карты? В приложении нашла только одну кнопку, а в чате поддержки уже час висит «оператор скоро ответит».",
    },
    Comment {
        id: 102,
        author: "dmitry_v",
        when: When::YesterdayAt(14, 32),
        text: "Пользуюсь Нордлисом с весны. Кешбэк приходит вовремя, переводы по номеру телефона проходят за секунды. Из всех банковских приложений, что пробовал, это самое понятное.",
    },
    Comment {
        id: 103,
        author: "pravda_o_bankah",
        when: When::YesterdayAt(15, 5),
        text: RU_SPAM,
    },
    Comment {
        id: 104,
        author: "olga_petrova",
        when: When::HoursAgo(20),
        text: "Марина, у меня тот же вопрос про детские карты. Тоже жду ответа.",
    },
    Comment {
        id: 105,
        author: "sergey_77",
        when: When::MinutesAgo(200),
        text: "Приложение Nordlys не работает с самого утра: ни перевод сделать, ни баланс посмотреть, всё висит на загрузке. Зарплата пришла, а за квартиру заплатить не могу. Поддержка молчит уже второй час.",
    },
    Comment {
        id: 106,
        author: "xXx_hater_xXx",
        when: When::MinutesAgo(185),
        text: "Ахаха, кто вообще в здравом уме сидит на этом Нордлисе? Плачете тут про кнопочки. Я попкорн принёс, продолжайте.",
    },
    Comment {
        id: 107,
        author: "anna_s",
        when: When::MinutesAgo(170),
        text: "Подтверждаю, у меня N.o.r.d.l.y.s тоже лежит с утра: вход по отпечатку не работает, по паролю пишет «ошибка сервера».",
    },
    Comment {
        id: 108,
        author: "pravda_o_bankah",
        when: When::MinutesAgo(160),
        text: RU_SPAM,
    },
];

/// Page 2 of the same thread, reached through the "next" link.
pub const RU_FORUM_PAGE2: &[Comment] = &[
    Comment {
        id: 109,
        author: "igor_analytics",
        when: When::MinutesAgo(150),
        text: "Без эмоций: у Нордлиса хорошая основа, но три вещи стоит поправить. Уведомления о списаниях приходят с опозданием на 10–15 минут. В тёмной теме суммы в истории почти не видно. И при сбоях нет страницы статуса — сегодня полдня гадали, у кого проблема, у банка или у нас.",
    },
    Comment {
        id: 110,
        author: "vasya_pupkin",
        when: When::MinutesAgo(140),
        text: "N0rdlys — полный отст@й, разрабы — к*злы криворукие. Третий раз за месяц лежит!",
    },
    Comment {
        id: 111,
        author: "lena_m",
        when: When::MinutesAgo(120),
        text: "А я на прошлой неделе перешла в Nоrdlys из старого банка и пока довольна: обслуживание бесплатное, карту привезли на следующий день. Сегодняшний сбой, конечно, неприятный.",
    },
    Comment {
        id: 112,
        author: "pravda_o_bankah",
        when: When::MinutesAgo(100),
        text: RU_SPAM,
    },
    Comment {
        id: 113,
        author: "Поддержка Nordlys",
        when: When::MinutesAgo(60),
        text: "Это служба поддержки Нордлиса. Приносим извинения всем, кого задел сбой: с 08:10 до 11:40 не работал вход в приложение из-за ошибки при обновлении серверов. Сейчас всё восстановлено, переводы, отправленные за это время, проведены. Марина, Ольга, ответили вам в чате про детские карты.",
    },
    Comment {
        id: 114,
        author: "kot_matroskin",
        when: When::MinutesAgo(30),
        text: "Не по теме, но подскажите, как на этом форуме поменять аватарку?",
    },
];

// ---------------------------------------------------------------- en blog

/// "Fintech Notes": an English blog with a full-content Atom feed.
pub const EN_BLOG: &[Article] = &[
    Article {
        slug: "nordlys-outage",
        title: "A morning without payments: the Nordlys outage",
        author: "Sam Porter",
        hours_ago: 3,
        paragraphs: &[
            "The Nordlys app has been down since morning, and my inbox shows I am not the only one who noticed.",
            "Logins fail with a server error, and the status of pending transfers is anyone's guess.",
            "Card payments in shops still go through, so the problem seems to sit in the app backend rather than the card network.",
            "What bothers me most is the silence: two hours in, there is no status page and no post from the company.",
        ],
    },
    Article {
        slug: "nordlys-vs-fjordbank",
        title: "Nordlys vs Fjordbank: which budgeting app wins?",
        author: "Sam Porter",
        hours_ago: 2 * 24 + 6,
        paragraphs: &[
            "I ran my household budget through Nordlys and Fjordbank for a month each.",
            "Nordlys sorts spending into categories automatically and gets it right about nine times out of ten.",
            "Fjordbank makes you tag most purchases by hand, but its savings goals are far more flexible.",
            "If you want a hands-off overview, pick Nordlys; if you save towards several goals, Fjordbank is the better tool.",
        ],
    },
    Article {
        slug: "cheaper-phone-tariff",
        title: "Five tips for a cheaper phone tariff",
        author: "Priya Nair",
        hours_ago: 4 * 24,
        paragraphs: &[
            "Check how much data you really use: most people pay for three times what they need.",
            "Ask your provider for a loyalty discount before your contract ends, not after.",
            "Family plans are often cheaper per line even for two people.",
            "And turn off roaming add-ons you bought for a single trip years ago.",
        ],
    },
    Article {
        slug: "why-i-left-nordlys",
        title: "Why I left Nordlys after two years",
        author: "Priya Nair",
        hours_ago: 10 * 24,
        paragraphs: &[
            "I liked Nordlys for a long time, so this is not a rant but a list of what pushed me away.",
            "Foreign transfers were free only for the first three each month, and the app never showed how many I had left.",
            "Support was friendly but could not escalate anything, so a disputed charge took seven weeks.",
            "Fix those two things and I would happily come back.",
        ],
    },
];

// ---------------------------------------------------------------- da blog

/// "Pengeguiden": a Danish blog with a JSON Feed.
pub const DA_BLOG: &[Article] = &[
    Article {
        slug: "min-foerste-maaned-med-nordlys",
        title: "Min første måned med Nordlys",
        author: "Mette Holm",
        hours_ago: 5,
        paragraphs: &[
            "Jeg skiftede til Nordlys for en måned siden, primært fordi appen har en gratis budgetfunktion.",
            "Overførsler mellem mine konti går lynhurtigt, og kategoriseringen af udgifter er overraskende præcis.",
            "Til gengæld savner jeg muligheden for at dele et budget med min kæreste.",
            "Alt i alt en god oplevelse, men der er plads til forbedringer.",
        ],
    },
    Article {
        slug: "weekend-i-skagen",
        title: "En weekend på Nordlys Hotel i Skagen",
        author: "Jonas Kjær",
        hours_ago: 26,
        paragraphs: &[
            "Vi tilbragte en forlænget weekend på Nordlys Hotel i Skagen og blev positivt overrasket.",
            "Værelserne er små, men lyse, og morgenmaden var fremragende.",
            "Personalet på Nordlys Hotel hjalp os med at leje cykler, så vi kunne køre ud til Grenen.",
            "Vi kommer gerne igen til sommer.",
        ],
    },
    Article {
        slug: "spar-paa-elregningen",
        title: "Sådan sparer du på elregningen",
        author: "Mette Holm",
        hours_ago: 3 * 24,
        paragraphs: &[
            "Flyt opvask og tøjvask til de timer, hvor strømmen er billigst, typisk om natten.",
            "Sluk for standby på tv og computer, det kan spare flere hundrede kroner om året.",
            "Og tjek, om din elaftale stadig er den billigste, for priserne ændrer sig hele tiden.",
        ],
    },
    Article {
        slug: "fjordbank-gebyrer",
        title: "Fjordbank hæver gebyrerne fra januar",
        author: "Jonas Kjær",
        hours_ago: 6 * 24,
        paragraphs: &[
            "Fjordbank har meddelt sine kunder, at kortgebyret stiger fra januar.",
            "Samtidig bliver det dyrere at hæve kontanter i udlandet.",
            "Banken begrunder det med stigende omkostninger, men mange kunder overvejer nu at skifte bank.",
        ],
    },
    Article {
        slug: "nordlys-deler-regninger",
        title: "Nordlys lancerer deling af regninger",
        author: "Mette Holm",
        hours_ago: 14 * 24,
        paragraphs: &[
            "Nordlys har lanceret en funktion, hvor man kan dele en regning med venner direkte i appen.",
            "Man tager et billede af kvitteringen, vælger hvem der skal betale, og appen sender en anmodning til hver person.",
            "Det virker smart, men vennerne skal selv have Nordlys for at betale med det samme.",
        ],
    },
];

// ---------------------------------------------------------------- zh forum

/// A Chinese forum thread in GBK; dates in local forms ("11月20日 10:15").
pub const ZH_THREAD: &[Comment] = &[
    Comment {
        id: 1,
        author: "小王",
        when: When::DaysAgoLong(40, 10, 15),
        text: "最近把工资卡换成了诺德利斯，想问一下大家：它的跨行转账真的免费吗？有没有什么隐藏费用？",
    },
    Comment {
        id: 2,
        author: "理财达人",
        when: When::DaysAgoShort(3, 21, 40),
        text: "用了半年诺德利斯，转账确实免费，界面也很清爽。客服回复很快，推荐给大家。",
    },
    Comment {
        id: 3,
        author: "产品经理老李",
        when: When::YesterdayAt(22, 10),
        text: "诺德利斯整体不错，但有几点建议：账单导出只支持PDF，希望加上Excel；夜间模式下数字看不清楚；客服电话太难打通。",
    },
    Comment {
        id: 4,
        author: "愤怒的用户",
        when: When::MinutesAgo(190),
        text: "今天早上诺德利斯的App完全打不开，一直在转圈，房租都付不了，太耽误事了！",
    },
    Comment {
        id: 5,
        author: "路人甲",
        when: When::MinutesAgo(175),
        text: "楼上说得对，我这边也一样。",
    },
    Comment {
        id: 6,
        author: "吃瓜群众",
        when: When::MinutesAgo(150),
        text: "诺-德-利-斯就是坑钱的，谁用谁后悔，哈哈哈。",
    },
    Comment {
        id: 7,
        author: "小陈",
        when: When::MinutesAgo(90),
        text: "和Fjordbank比，诺德利斯的手续费低多了，出点小问题我还能接受。",
    },
    Comment {
        id: 8,
        author: "老张",
        when: When::MinutesAgo(45),
        text: "有没有人知道附近哪家面馆好吃？",
    },
];

/// A Chinese news article in GBK.
pub const ZH_NEWS: Article = Article {
    slug: "2031",
    title: "诺德利斯推出新的资费套餐",
    author: "本站编辑",
    hours_ago: 6,
    paragraphs: &[
        "移动银行应用诺德利斯本周推出三档新的资费套餐，其中基础套餐完全免费。",
        "家庭套餐最多可绑定四张卡，适合有孩子的家庭。",
        "有用户反映，新套餐的说明页面过于复杂，希望官方能用更简单的方式解释各项费用。",
    ],
};

// ---------------------------------------------------------------- news site

/// "Nordic Tech": a news site found through its sitemap; English, Norwegian
/// and Swedish articles, a namesake hotel and texts naming no brand.
pub const NEWS: &[Article] = &[
    Article {
        slug: "nordlys-outage-explained",
        title: "What happened during the Nordlys outage",
        author: "Nordic Tech desk",
        hours_ago: 1,
        paragraphs: &[
            "For about three and a half hours this morning, customers could not log into the Nordlys app.",
            "The company says a faulty server update broke the login service and that no money was lost.",
            "Transfers queued during the outage were processed by noon, and card payments were never affected.",
            "Nordlys has promised a public status page by the end of the month.",
        ],
    },
    Article {
        slug: "nordlys-lanseres-i-norge",
        title: "Nordlys-appen er lansert i Norge",
        author: "Kari Nordmann",
        hours_ago: 30,
        paragraphs: &[
            "Nordlys har nå lansert appen sin i Norge, og jeg har testet den i en uke.",
            "Innloggingen med BankID fungerer veldig fint, og det er ikke mye å sette fingeren på.",
            "Det som mangler, er støtte for Vipps, noe de fleste nordmenn forventer.",
            "Prisen er lav, men det hjelper lite hvis man ikke kan betale vennene sine enkelt.",
        ],
    },
    Article {
        slug: "nordlys-kommer-till-sverige",
        title: "Nordlys kommer till Sverige",
        author: "Erik Lindqvist",
        hours_ago: 2 * 24,
        paragraphs: &[
            "Nordlys har äntligen kommit till Sverige.",
            "Jag har använt appen i två veckor och tycker att den är snabb och enkel.",
            "Det enda som saknas är stöd för Swish, vilket är ett måste här.",
            "Kundtjänsten svarade på mindre än en timme när jag hade en fråga om avgifter.",
        ],
    },
    Article {
        slug: "tromso-on-a-budget",
        title: "Tromsø on a budget: a night at Nordlys Hotel",
        author: "Nordic Tech travel",
        hours_ago: 3 * 24,
        paragraphs: &[
            "Nordlys Hotel sits five minutes from the harbour and costs half of what the big chains charge.",
            "Rooms are plain but warm, and the breakfast buffet has excellent brown cheese.",
            "Book Nordlys Hotel early in winter: aurora season fills it weeks ahead.",
        ],
    },
    Article {
        slug: "budget-phones",
        title: "Three budget phones worth buying",
        author: "Nordic Tech desk",
        hours_ago: 4 * 24,
        paragraphs: &[
            "You no longer need to spend a fortune for a phone that lasts.",
            "All three of our picks get five years of updates and a battery that survives a full day.",
            "The cheapest one has the weakest camera, but for messaging and banking it is all you need.",
        ],
    },
    Article {
        slug: "fjordbank-record-quarter",
        title: "Fjordbank reports a record quarter",
        author: "Nordic Tech desk",
        hours_ago: 9 * 24,
        paragraphs: &[
            "Fjordbank earned more in the last quarter than in any quarter before.",
            "Most of the growth came from higher interest margins rather than new customers.",
            "Analysts expect the bank to face pressure on fees as app-only rivals grow.",
        ],
    },
];

/// An unpublished draft under `/private/`, disallowed by robots.txt: listed in
/// the sitemap, never to be fetched.
pub const NEWS_PRIVATE: Article = Article {
    slug: "draft-nordlys-layoffs",
    title: "DRAFT: Nordlys to cut support jobs",
    author: "Nordic Tech desk",
    hours_ago: 2,
    paragraphs: &[
        "Draft, do not publish: sources say Nordlys plans to cut forty support jobs.",
        "We have not yet had a reply from the company.",
    ],
};

/// Reader reviews of the Nordlys app on the news site.
pub const REVIEWS: &[Review] = &[
    Review {
        id: 1,
        author: "emma_l",
        hours_ago: 8,
        stars: 5,
        title: "Best switch I have made",
        text: "I moved my phone tariff and my salary account to Nordlys in one afternoon. The app explained every fee up front, and the roaming add-on cost exactly what it said. Support answered a question about my SIM in under ten minutes.",
    },
    Review {
        id: 2,
        author: "john_smith1984",
        hours_ago: 20,
        stars: 1,
        title: "Terrible",
        text: "Terrible app. Avoid Nordlys. Worst ever.",
    },
    Review {
        id: 3,
        author: "p.andersen",
        hours_ago: 2 * 24,
        stars: 2,
        title: "Hidden fees on foreign transfers",
        text: "Sending 500 EUR to my sister in Poland cost me 11 EUR with Nordlys, while the tariff page says transfers within the EU are free. Support explained that only three free transfers a month are included and I had used them. Please show the remaining quota in the app before I press send.",
    },
    Review {
        id: 4,
        author: "kate_w",
        hours_ago: 3 * 24,
        stars: 3,
        title: "Good app, slow notifications",
        text: "Nordlys is easy to use and the budget view is great. But payment notifications arrive ten minutes late, so I cannot tell at the till whether a payment went through. Fix that and it is five stars.",
    },
    Review {
        id: 5,
        author: "marco_r",
        hours_ago: 5 * 24,
        stars: 4,
        title: "Moved over from Fjordbank",
        text: "After six years with Fjordbank I moved to Nordlys for the lower monthly fee. Moving my direct debits took one evening with the built-in switching service. I miss Fjordbank's savings goals, but I do not miss paying for them.",
    },
    Review {
        id: 6,
        author: "sara_n",
        hours_ago: 6 * 24,
        stars: 4,
        title: "Bra för vardagen",
        text: "Nordlys fungerar bra för vardagsbruk och appen är tydlig. Överföringar till utlandet tar dock alldeles för lång tid, ibland tre dagar.",
    },
    Review {
        id: 7,
        author: "grandpa_ole",
        hours_ago: 12 * 24,
        stars: 5,
        title: "Even I can use it",
        text: "I am 71 and I do not like apps, but my grandson set up Nordlys for me. Big buttons, clear text, and my pension arrives on time. The only thing I miss is a phone number I can call without waiting in a queue.",
    },
    // A coordinated smear (PLAYBOOK: "information attacks"): five first-time
    // reviewers within two hours, the same claim in nearly the same words, no
    // order number, date or detail anyone could check. Hearsay should call it
    // an attack (refute, ask for order details), not organic anger.
    Review {
        id: 8,
        author: "honest_reviewer_22",
        hours_ago: 3,
        stars: 1,
        title: "Nordlys stole my savings",
        text: "Nordlys froze my account without any warning and kept all my savings. Support ignores every message. Stay away from Nordlys, they are scammers who steal from their own customers!",
    },
    Review {
        id: 9,
        author: "real_customer_77",
        hours_ago: 3,
        stars: 1,
        title: "Scammers",
        text: "Nordlys froze my account without warning and kept all my savings. Their support ignores every message. Stay away from Nordlys, they are scammers who steal from customers!",
    },
    Review {
        id: 10,
        author: "anna.truth",
        hours_ago: 2,
        stars: 1,
        title: "Avoid this bank",
        text: "Nordlys froze my account without any warning and kept my savings. Support ignores every single message. Stay away from Nordlys, they are scammers who steal from their own customers.",
    },
    Review {
        id: 11,
        author: "mike_v_2026",
        hours_ago: 2,
        stars: 1,
        title: "They steal your money",
        text: "Warning: Nordlys froze my account without any warning and kept all my savings. Support ignores every message. Stay away from Nordlys, scammers who steal from their own customers!",
    },
    Review {
        id: 12,
        author: "victim_of_nordlys",
        hours_ago: 1,
        stars: 1,
        title: "Nordlys = scam",
        text: "Nordlys froze my account with no warning and kept all my savings. Support ignores every message I send. Stay away from Nordlys, they are scammers who steal from their own customers!",
    },
];
