//! Built-in example maps for "create from example". They double as teaching
//! material, so each one is a complete, realistic journey: a goal with a KPI,
//! personas with segment keys, pains and prioritised opportunities, feedback
//! keys that imports can match, and handoffs that show where context is lost.

use crate::model::{
    ChannelKind, Goal, Handoff, Id, JourneyMap, Lane, Opportunity, Persona, Priority, Targets,
    Touchpoint,
};

/// An entry of the "create from example" menu.
pub struct Template {
    /// Stable identifier for links and tests; never shown.
    pub key: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Builds the map with the caller's id and clock, so the core never
    /// invents identity or time.
    pub build: fn(Id, f64) -> JourneyMap,
}

pub const TEMPLATES: &[Template] = &[
    Template {
        key: "retail",
        title: "Omnichannel retail purchase",
        description: "Instagram ad to in-store purchase and an easy return, across seven channels",
        build: retail,
    },
    Template {
        key: "saas_onboarding",
        title: "SaaS onboarding",
        description: "Free trial to a paying team: import trouble, support, and a sales call that knows nothing",
        build: saas_onboarding,
    },
    Template {
        key: "bank_account",
        title: "Bank account opening",
        description: "Apply in the app, verify identity, and end up re-keyed in a branch",
        build: bank_account,
    },
    Template {
        key: "patient_journey",
        title: "Patient journey",
        description: "Knee pain to recovery through GP, hospital and physiotherapy",
        build: patient_journey,
    },
];

pub fn template(key: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.key == key)
}

/// The content of one touchpoint card, written as literals so templates read
/// like the map they describe.
#[derive(Default)]
struct Card {
    name: &'static str,
    description: &'static str,
    owner: &'static str,
    emotion: i8,
    pains: &'static [&'static str],
    opportunities: &'static [(Priority, &'static str)],
    feedback_key: &'static str,
    targets: Targets,
}

/// Appends to a map while building a template. The ids it is given always
/// come from the same builder, so a failure is a bug in a template, which the
/// tests below catch.
struct Builder {
    map: JourneyMap,
}

impl Builder {
    fn new(id: Id, now_ms: f64, name: &str, objective: &str, kpi: &str) -> Self {
        let mut map = JourneyMap::new(id, name, now_ms);
        map.goal = Goal {
            objective: objective.into(),
            kpi: kpi.into(),
        };
        Builder { map }
    }

    fn stage(&mut self, name: &str, customer_goal: &str) -> Id {
        let id = self.map.add_stage(name);
        if let Some(s) = self.map.stages.iter_mut().find(|s| s.id == id) {
            s.customer_goal = customer_goal.into();
        }
        id
    }

    fn channel(&mut self, name: &str, kind: ChannelKind) -> Id {
        self.map.add_channel(name, kind)
    }

    fn card(&mut self, stage: &Id, channel: &Id, card: Card) -> Id {
        let id = self
            .map
            .add_touchpoint(stage, channel, card.name)
            .expect("template cards use the builder's own stages and channels");
        let t = self
            .map
            .touchpoint_mut(&id)
            .expect("the touchpoint was just added");
        *t = Touchpoint {
            id: id.clone(),
            stage: stage.clone(),
            channel: channel.clone(),
            name: card.name.into(),
            description: card.description.into(),
            owner: card.owner.into(),
            emotion: Some(card.emotion),
            pain_points: strings(card.pains),
            opportunities: card
                .opportunities
                .iter()
                .map(|(priority, text)| Opportunity {
                    text: (*text).into(),
                    priority: *priority,
                })
                .collect(),
            feedback_key: card.feedback_key.into(),
            targets: card.targets,
            ..Touchpoint::default()
        };
        id
    }

    fn handoff(&mut self, from: &Id, to: &Id, carried: bool, carries: &[&str], friction: &str) {
        let id = self
            .map
            .add_handoff(from, to, carried)
            .expect("template handoffs join two different cards of the builder");
        if let Some(h) = self.map.handoffs.iter_mut().find(|h| h.id == id) {
            *h = Handoff {
                carries: strings(carries),
                friction: friction.into(),
                ..h.clone()
            };
        }
    }

    /// Chains the cards in order, one handoff per consecutive pair, because
    /// every template tells one customer's story from start to finish.
    fn chain(&mut self, cards: &[&Id], links: &[(bool, &[&str], &str)]) {
        debug_assert_eq!(cards.len(), links.len() + 1);
        for (pair, (carried, carries, friction)) in cards.windows(2).zip(links) {
            self.handoff(pair[0], pair[1], *carried, carries, friction);
        }
    }

    fn persona(&mut self, persona: Persona, preferred: &[&Id]) -> Id {
        let id = self.map.add_persona(persona.name.clone());
        if let Some(p) = self.map.personas.iter_mut().find(|p| p.id == id) {
            *p = Persona {
                id: id.clone(),
                preferred_channels: preferred.iter().map(|c| (*c).clone()).collect(),
                ..persona
            };
        }
        id
    }
}

impl Builder {
    /// A stage's text lanes, in [`Lane::TEXT`] order: actions, thoughts,
    /// pain points, opportunities, backstage.
    fn lanes(&mut self, stage: &Id, notes: [&[&str]; 5]) {
        for (lane, notes) in Lane::TEXT.into_iter().zip(notes) {
            self.map
                .set_stage_lane(stage, lane, strings(notes))
                .expect("template lanes are text lanes of the builder's stages");
        }
    }

    /// How one persona feels at the touchpoints they go through.
    fn feel(&mut self, persona: &Id, scores: &[(&Id, i8)]) {
        for (touchpoint, score) in scores {
            self.map
                .set_persona_emotion(touchpoint, persona, Some(*score))
                .expect("template persona scores are on the default scale");
        }
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn targets(nps: Option<f64>, csat: Option<f64>, ces: Option<f64>) -> Targets {
    Targets { nps, csat, ces }
}

/// Issue 2's example: one shopper moving between social, web, app, chat,
/// store, email and support, with the chat's sizing advice lost at the store.
pub fn retail(id: Id, now_ms: f64) -> JourneyMap {
    let mut b = Builder::new(
        id,
        now_ms,
        "Retail: from Instagram ad to easy return",
        "Turn social-ad interest into confident purchases in any channel, and keep customers through returns",
        "Ad-to-purchase conversion within 14 days; repeat purchase within 90 days of a return",
    );
    let awareness = b.stage("Awareness", "Notice something that fits my style");
    let consideration = b.stage("Consideration", "Be sure it is good and will fit me");
    let purchase = b.stage("Purchase", "Get the right size without hassle");
    let retention = b.stage("Retention", "Enjoy it, or return it without a fight");
    let advocacy = b.stage("Advocacy", "Tell friends when a brand treats me well");

    let social = b.channel("Instagram", ChannelKind::Digital);
    let web = b.channel("Website", ChannelKind::Digital);
    let app = b.channel("Mobile app", ChannelKind::Digital);
    let chat = b.channel("Live chat", ChannelKind::Human);
    let store = b.channel("Store", ChannelKind::Physical);
    let email = b.channel("Email", ChannelKind::Automated);
    let support = b.channel("Customer support", ChannelKind::Human);

    let ad = b.card(
        &awareness,
        &social,
        Card {
            name: "Sees Instagram ad",
            description: "A sponsored reel shows the new waxed jacket styled three ways.",
            owner: "Marketing",
            emotion: 1,
            pains: &["The ad shows no price and no size range"],
            opportunities: &[
                (
                    Priority::High,
                    "Shoppable post that opens the product in the app",
                ),
                (Priority::Low, "Show the size range on the last frame"),
            ],
            feedback_key: "ig_ad",
            ..Card::default()
        },
    );
    let reviews = b.card(
        &consideration,
        &web,
        Card {
            name: "Reads reviews on the website",
            description: "Scrolls 40 reviews looking for anyone her height mentioning fit.",
            owner: "E-commerce",
            emotion: 0,
            pains: &[
                "Reviews rarely mention fit or the reviewer's usual size",
                "No filter for reviews by body type",
            ],
            opportunities: &[(
                Priority::High,
                "Fit summary from reviews: runs small / true / large",
            )],
            feedback_key: "web_reviews",
            targets: targets(None, Some(4.2), None),
        },
    );
    let cart = b.card(
        &consideration,
        &app,
        Card {
            name: "Adds the jacket to the app cart",
            description: "Signs in on the app and puts both M and L in the cart to decide later.",
            owner: "Product",
            emotion: -1,
            pains: &["Unsure between two sizes, so adds both"],
            opportunities: &[(Priority::Medium, "Size advisor in the cart")],
            feedback_key: "app_cart",
            targets: targets(None, None, Some(2.0)),
        },
    );
    let sizing = b.card(
        &consideration,
        &chat,
        Card {
            name: "Asks live chat about sizing",
            description: "An agent compares the jacket's measurements with her usual brand and recommends M.",
            owner: "Customer support",
            emotion: 1,
            pains: &["Six-minute wait for an agent"],
            opportunities: &[
                (Priority::High, "Save the size advice to the customer's profile"),
                (Priority::Medium, "Show the expected wait before the chat opens"),
            ],
            feedback_key: "chat_sizing",
            targets: targets(None, Some(4.5), Some(2.0)),
        },
    );
    let visit = b.card(
        &purchase,
        &store,
        Card {
            name: "Visits the store; staff see her online cart",
            description:
                "Staff look her up by app QR code and bring both sizes from the stockroom.",
            owner: "Store operations",
            emotion: 1,
            pains: &[
                "Staff cannot see the chat's size advice, so she explains her measurements again",
            ],
            opportunities: &[(
                Priority::High,
                "Show chat notes next to the cart on the staff tablet",
            )],
            feedback_key: "store_visit",
            targets: targets(Some(40.0), Some(4.5), None),
        },
    );
    let buy = b.card(
        &purchase,
        &store,
        Card {
            name: "Buys in store",
            description:
                "Pays at the till; the app cart is cleared and the order joins her history.",
            owner: "Store operations",
            emotion: 2,
            pains: &["Queue at the till at lunchtime"],
            opportunities: &[(Priority::Medium, "Pay on the staff tablet or in the app")],
            feedback_key: "store_purchase",
            targets: targets(None, Some(4.6), Some(1.5)),
        },
    );
    let follow_up = b.card(
        &retention,
        &email,
        Card {
            name: "Receives follow-up email",
            description:
                "Care tips for waxed cotton and matching accessories, two days after purchase.",
            owner: "CRM",
            emotion: 0,
            pains: &["Recommends the jacket she has just bought"],
            opportunities: &[(
                Priority::Low,
                "Exclude purchased items from recommendations",
            )],
            feedback_key: "followup_email",
            ..Card::default()
        },
    );
    let ret = b.card(
        &retention,
        &support,
        Card {
            name: "Return handled by support with full history",
            description: "The zip is faulty; the agent sees the ad, chat, store purchase and email, and sends a replacement.",
            owner: "Customer support",
            emotion: 1,
            pains: &["Returning by post means printing a label"],
            opportunities: &[
                (Priority::High, "One-step exchange for a replacement or another size"),
                (Priority::Medium, "Drop-off in any store with the app QR code"),
            ],
            feedback_key: "return_support",
            targets: targets(Some(30.0), Some(4.5), Some(2.0)),
        },
    );
    let review = b.card(
        &advocacy,
        &social,
        Card {
            name: "Posts about the brand",
            description: "Tags the brand in a story praising the painless exchange.",
            owner: "Marketing",
            emotion: 2,
            pains: &[],
            opportunities: &[(
                Priority::Medium,
                "Invite happy returners to leave a fit review",
            )],
            feedback_key: "social_mention",
            ..Card::default()
        },
    );

    b.chain(
        &[
            &ad, &reviews, &cart, &sizing, &visit, &buy, &follow_up, &ret, &review,
        ],
        &[
            (
                true,
                &["campaign", "product"],
                "Lands on the website, not the app",
            ),
            (
                true,
                &["product", "identity"],
                "Has to sign in again in the app",
            ),
            (true, &["cart", "identity"], ""),
            (
                false,
                &["cart", "identity"],
                "The chat's size advice does not reach store staff; she repeats her measurements",
            ),
            (true, &["cart", "loyalty id"], ""),
            (true, &["order", "email consent"], ""),
            (
                true,
                &["order history", "chat transcript", "store receipt"],
                "",
            ),
            (true, &["resolution"], ""),
        ],
    );

    b.lanes(
        &awareness,
        [
            &["Scrolls Instagram on the commute", "Saves the post"],
            &["That jacket would work for autumn"],
            &[],
            &[],
            &["Campaign targeted at lookalikes of past buyers"],
        ],
    );
    b.lanes(
        &consideration,
        [
            &["Reads reviews", "Compares sizes", "Asks for advice"],
            &["Will it fit me?", "Is it worth 180 €?"],
            &["Fit information is scattered over three channels"],
            &["One fit profile shared by web, app, chat and store"],
            &["Chat agents use a size chart in a shared drive"],
        ],
    );
    b.lanes(
        &purchase,
        [
            &["Reserves both sizes in store", "Tries them on", "Pays"],
            &["Glad they had it ready", "Why do I have to explain again?"],
            &["Store staff start from zero on sizing"],
            &["Click-and-try: reserve sizes from the app cart"],
            &["Stock is moved from the stockroom when a cart is scanned"],
        ],
    );
    b.lanes(
        &retention,
        [
            &["Wears the jacket", "Finds a faulty zip", "Contacts support"],
            &["Will they make this difficult?"],
            &["Returns by post only"],
            &["Exchange in any store or by courier pickup"],
            &["Support sees one customer timeline across channels"],
        ],
    );
    b.lanes(
        &advocacy,
        [
            &["Posts a story", "Recommends the brand to a friend"],
            &["They sorted it out without any fuss"],
            &[],
            &["Referral code after a resolved case"],
            &["Social team monitors brand mentions"],
        ],
    );

    let maya = b.persona(
        Persona {
            name: "Maya, the omnichannel shopper".into(),
            role: "Marketing manager, 34".into(),
            quote: "I research on my phone, but I want to try it on before I pay.".into(),
            demographics: "Urban, full-time job, shops at lunch and in the evening".into(),
            behaviours: strings(&[
                "Discovers brands on Instagram",
                "Reads reviews before any purchase over 100 €",
                "Uses the app cart as a wish list",
            ]),
            goals: strings(&["Buy the right size the first time"]),
            needs: strings(&["Honest fit information", "Not repeating herself"]),
            frustrations: strings(&["Explaining the same thing in every channel"]),
            segment_key: "omni_shopper".into(),
            ..Persona::default()
        },
        &[&social, &app, &store],
    );
    let tom = b.persona(
        Persona {
            name: "Tom, the store-first regular".into(),
            role: "Teacher, 52".into(),
            quote: "I'd rather ask someone in the shop than chat with a website.".into(),
            demographics: "Suburban, visits the store monthly".into(),
            behaviours: strings(&[
                "Browses online, buys in store",
                "Phones support rather than using chat",
            ]),
            goals: strings(&["Get good advice from a person"]),
            needs: strings(&["Staff who know his purchase history"]),
            frustrations: strings(&["Being sent to the website for answers"]),
            segment_key: "store_first".into(),
            ..Persona::default()
        },
        &[&store, &support],
    );
    b.feel(
        &maya,
        &[
            (&ad, 1),
            (&reviews, -1),
            (&cart, -1),
            (&sizing, 1),
            (&visit, 0),
            (&buy, 2),
            (&follow_up, 0),
            (&ret, 1),
            (&review, 2),
        ],
    );
    b.feel(&tom, &[(&reviews, 0), (&visit, 2), (&buy, 1), (&ret, 0)]);
    b.map
}

/// B2B self-serve trial to paid plan; the context loss is the help centre
/// search and error message not reaching the support chat, and the sales call
/// knowing nothing of the trouble the team had.
pub fn saas_onboarding(id: Id, now_ms: f64) -> JourneyMap {
    let mut b = Builder::new(
        id,
        now_ms,
        "SaaS onboarding: trial to paid team",
        "Turn trial sign-ups into active teams that buy an annual plan",
        "Trial-to-paid conversion; share of trials with a shared project within 7 days",
    );
    let discover = b.stage("Discover", "Find a tool my team will actually use");
    let sign_up = b.stage("Sign up", "Try it without a sales pitch");
    let activate = b.stage("Activate", "Get our real projects in and working");
    let adopt = b.stage("Adopt", "Get the whole team using it daily");
    let buy = b.stage(
        "Buy & expand",
        "Pay for what we use, with help when we grow",
    );

    let web = b.channel("Website", ChannelKind::Digital);
    let product = b.channel("In-product", ChannelKind::Digital);
    let email = b.channel("Email", ChannelKind::Automated);
    let help = b.channel("Help centre", ChannelKind::Digital);
    let chat = b.channel("Support chat", ChannelKind::Human);
    let sales = b.channel("Sales & success calls", ChannelKind::Human);

    let pricing = b.card(
        &discover,
        &web,
        Card {
            name: "Compares plans on the pricing page",
            description: "Works out the cost for a 12-person team against two competitors.",
            owner: "Marketing",
            emotion: 0,
            pains: &["Per-seat price and annual discount are hard to compare"],
            opportunities: &[(Priority::Medium, "Team-size calculator on the pricing page")],
            feedback_key: "web_pricing",
            ..Card::default()
        },
    );
    let trial = b.card(
        &sign_up,
        &web,
        Card {
            name: "Starts a free trial",
            description: "Signs up with a work email; chooses the 14-day Business trial.",
            owner: "Growth",
            emotion: 1,
            pains: &["Asked for a credit card before seeing the product"],
            opportunities: &[(Priority::High, "Trial without a card")],
            feedback_key: "trial_signup",
            targets: targets(None, None, Some(1.5)),
        },
    );
    let welcome = b.card(
        &sign_up,
        &email,
        Card {
            name: "Gets the welcome email",
            description: "Verification link plus a generic three-step getting-started guide.",
            owner: "Lifecycle marketing",
            emotion: 0,
            pains: &["Guide ignores the use case chosen at sign-up"],
            opportunities: &[(
                Priority::Low,
                "Tailor the first email to the chosen use case",
            )],
            feedback_key: "welcome_email",
            ..Card::default()
        },
    );
    let import = b.card(
        &activate,
        &product,
        Card {
            name: "Imports projects from a spreadsheet",
            description: "The setup wizard offers a CSV import of the team's existing tracker.",
            owner: "Product",
            emotion: -1,
            pains: &["Import fails on European date formats with a cryptic error"],
            opportunities: &[(
                Priority::High,
                "Import preview that fixes dates before importing",
            )],
            feedback_key: "import_wizard",
            targets: targets(None, Some(4.0), Some(2.0)),
        },
    );
    let help_search = b.card(
        &activate,
        &help,
        Card {
            name: "Searches the help centre for the error",
            description: "Tries four searches; articles describe an older import screen.",
            owner: "Support",
            emotion: -2,
            pains: &["Articles do not mention the error message shown"],
            opportunities: &[(Priority::Medium, "Link each error message to its article")],
            feedback_key: "help_import",
            ..Card::default()
        },
    );
    let support = b.card(
        &activate,
        &chat,
        Card {
            name: "Support chat fixes the import",
            description: "An agent reproduces the problem and sends a corrected file.",
            owner: "Support",
            emotion: 1,
            pains: &["Has to paste the error and list what she already tried"],
            opportunities: &[(
                Priority::High,
                "Open the chat with the error and the articles already read",
            )],
            feedback_key: "support_chat",
            targets: targets(None, Some(4.5), Some(2.0)),
        },
    );
    let invite = b.card(
        &adopt,
        &product,
        Card {
            name: "Invites teammates",
            description: "Sends invites to eleven colleagues from the project page.",
            owner: "Product",
            emotion: 1,
            pains: &["Invitees land on an empty dashboard, not the shared project"],
            opportunities: &[(
                Priority::Medium,
                "Land invitees on the project they were invited to",
            )],
            feedback_key: "invite_team",
            ..Card::default()
        },
    );
    let reminder = b.card(
        &adopt,
        &email,
        Card {
            name: "Trial-ending reminder",
            description: "Three days before the end: \"Upgrade now to keep your data\".",
            owner: "Lifecycle marketing",
            emotion: -1,
            pains: &["Feels like a threat; shows nothing about the team's usage"],
            opportunities: &[(Priority::Medium, "Show what the team built and who uses it")],
            feedback_key: "trial_reminder",
            ..Card::default()
        },
    );
    let call = b.card(
        &buy,
        &sales,
        Card {
            name: "Call with an account executive",
            description: "Negotiates the annual plan for 12 seats.",
            owner: "Sales",
            emotion: 0,
            pains: &["The AE demos the import she struggled with and knows nothing of the ticket"],
            opportunities: &[(Priority::High, "Show support tickets and usage in the CRM")],
            feedback_key: "sales_call",
            targets: targets(Some(30.0), None, None),
        },
    );
    let kickoff = b.card(
        &buy,
        &sales,
        Card {
            name: "Kick-off with customer success",
            description: "A success manager sets up templates and a 30-day adoption plan.",
            owner: "Customer success",
            emotion: 2,
            pains: &[],
            opportunities: &[(
                Priority::Low,
                "Offer the kick-off during the trial for large teams",
            )],
            feedback_key: "cs_kickoff",
            targets: targets(Some(50.0), Some(4.6), None),
        },
    );

    b.chain(
        &[
            &pricing,
            &trial,
            &welcome,
            &import,
            &help_search,
            &support,
            &invite,
            &reminder,
            &call,
            &kickoff,
        ],
        &[
            (true, &["chosen plan"], ""),
            (
                true,
                &["work email", "use case"],
                "Use case is not used by the email",
            ),
            (true, &["account"], ""),
            (true, &["account"], "Leaves the product to search for help"),
            (
                false,
                &["account email"],
                "The chat starts blank: error message and searched articles are lost",
            ),
            (true, &["workspace", "fixed projects"], ""),
            (true, &["usage data"], ""),
            (
                false,
                &["company name"],
                "Sales sees no usage or support history and pitches the feature that failed",
            ),
            (true, &["contract", "call notes"], ""),
        ],
    );

    b.lanes(
        &discover,
        [
            &["Reads comparison articles", "Checks pricing"],
            &["Will the team adopt yet another tool?"],
            &[],
            &[],
            &["Paid search on competitor names"],
        ],
    );
    b.lanes(
        &sign_up,
        [
            &["Creates an account", "Verifies email"],
            &["Why do they need my card?"],
            &[],
            &[],
            &["Lead scored and routed to sales when over 10 seats"],
        ],
    );
    b.lanes(
        &activate,
        [
            &["Imports data", "Searches for help", "Chats with support"],
            &["If this is so hard, the team will never use it"],
            &["Time to first value is three days instead of one hour"],
            &["Import templates for the five most common trackers"],
            &["Support triages import tickets by hand"],
        ],
    );
    b.lanes(
        &adopt,
        [
            &["Invites the team", "Moves the weekly meeting into the tool"],
            &["Are people actually using it?"],
            &[],
            &["Admin dashboard of weekly active members"],
            &["Product-qualified lead score updated nightly"],
        ],
    );
    b.lanes(
        &buy,
        [
            &["Gets budget approval", "Signs the order form"],
            &["I hope the price holds next year"],
            &[],
            &["Self-serve upgrade for teams under 20 seats"],
            &["Contract created in CRM; success manager assigned"],
        ],
    );

    let priya = b.persona(
        Persona {
            name: "Priya, operations lead".into(),
            role: "Chooses and administers the team's tools".into(),
            quote: "I need it working for the team before I can defend the budget.".into(),
            demographics: "Mid-size agency, 12-person delivery team".into(),
            behaviours: strings(&["Runs trials alone first", "Reads docs before asking"]),
            goals: strings(&["One place for every project", "Fewer status meetings"]),
            needs: strings(&["A painless import", "Proof of adoption for her manager"]),
            frustrations: strings(&["Sales calls before she has seen the product"]),
            segment_key: "admin_buyer".into(),
            ..Persona::default()
        },
        &[&web, &product, &help],
    );
    let leo = b.persona(
        Persona {
            name: "Leo, team member".into(),
            role: "Designer invited by the admin".into(),
            quote: "Just show me my tasks.".into(),
            demographics: "Works across three client projects".into(),
            behaviours: strings(&["Lives in notifications", "Never reads onboarding emails"]),
            goals: strings(&["Know what is due today"]),
            needs: strings(&["Zero setup"]),
            frustrations: strings(&["Another login, another inbox"]),
            segment_key: "end_user".into(),
            ..Persona::default()
        },
        &[&product],
    );
    b.feel(
        &priya,
        &[
            (&pricing, 0),
            (&trial, 1),
            (&import, -2),
            (&help_search, -2),
            (&support, 1),
            (&invite, 1),
            (&reminder, -1),
            (&call, -1),
            (&kickoff, 2),
        ],
    );
    b.feel(&leo, &[(&invite, -1), (&kickoff, 1)]);
    b.map
}

/// Opening a current account online; the context losses are the call centre
/// not seeing the verification status and the branch re-keying the
/// application.
pub fn bank_account(id: Id, now_ms: f64) -> JourneyMap {
    let mut b = Builder::new(
        id,
        now_ms,
        "Bank: opening a current account",
        "Let most applicants open and use an account in one sitting, without a branch visit",
        "Share of accounts approved within 24 hours; application abandonment rate",
    );
    let research = b.stage("Research", "Find an account without surprise fees");
    let apply = b.stage("Apply", "Apply in minutes from my phone");
    let verify = b.stage("Verify", "Prove who I am once");
    let activate = b.stage("Activate", "Get my card and get into the app");
    let first_use = b.stage("First use", "Move my salary and pay my bills");

    let web = b.channel("Website", ChannelKind::Digital);
    let app = b.channel("Mobile app", ChannelKind::Digital);
    let email = b.channel("Email", ChannelKind::Automated);
    let sms = b.channel("SMS", ChannelKind::Automated);
    let phone = b.channel("Call center", ChannelKind::Human);
    let branch = b.channel("Branch", ChannelKind::Physical);
    let post = b.channel("Post", ChannelKind::Physical);

    let compare = b.card(
        &research,
        &web,
        Card {
            name: "Compares current accounts",
            description: "Reads the account page and the fee schedule.",
            owner: "Marketing",
            emotion: 0,
            pains: &["Fees are only listed in a 14-page PDF"],
            opportunities: &[(
                Priority::Medium,
                "Fee summary in plain words on the account page",
            )],
            feedback_key: "web_compare",
            ..Card::default()
        },
    );
    let application = b.card(
        &apply,
        &app,
        Card {
            name: "Fills in the application in the app",
            description: "Personal details, employment, income and three years of addresses.",
            owner: "Digital banking",
            emotion: 0,
            pains: &[
                "Address history is typed by hand",
                "No way to save and continue later",
            ],
            opportunities: &[(Priority::High, "Prefill addresses from the credit bureau")],
            feedback_key: "app_application",
            targets: targets(None, None, Some(2.5)),
        },
    );
    let id_scan = b.card(
        &verify,
        &app,
        Card {
            name: "Scans ID and takes a selfie",
            description: "Automatic identity check against the passport chip.",
            owner: "Compliance (KYC)",
            emotion: -1,
            pains: &["The scan fails in low light; three retries"],
            opportunities: &[(Priority::Medium, "Live guidance for light and framing")],
            feedback_key: "id_scan",
            targets: targets(None, None, Some(2.0)),
        },
    );
    let poa = b.card(
        &verify,
        &email,
        Card {
            name: "Asked for proof of address",
            description:
                "Two days later an email asks for a utility bill; the upload link has expired.",
            owner: "Compliance (KYC)",
            emotion: -2,
            pains: &["Arrives days later", "Link expires after 24 hours"],
            opportunities: &[(
                Priority::High,
                "Ask for every document during the application",
            )],
            feedback_key: "poa_request",
            ..Card::default()
        },
    );
    let status_call = b.card(
        &verify,
        &phone,
        Card {
            name: "Calls to ask about the application",
            description: "Waits 18 minutes; the agent cannot see the verification case.",
            owner: "Contact centre",
            emotion: -2,
            pains: &[
                "Security questions she never set up",
                "Told to go to a branch",
            ],
            opportunities: &[(Priority::High, "Give agents read access to the KYC case")],
            feedback_key: "status_call",
            targets: targets(None, Some(4.0), Some(3.0)),
        },
    );
    let branch_visit = b.card(
        &verify,
        &branch,
        Card {
            name: "Brings documents to a branch",
            description: "An adviser copies the bill and completes the check.",
            owner: "Branch network",
            emotion: 0,
            pains: &["The adviser re-keys the whole application as a new one"],
            opportunities: &[(
                Priority::High,
                "Branch opens the pending online application",
            )],
            feedback_key: "branch_visit",
            targets: targets(Some(20.0), Some(4.2), None),
        },
    );
    let approval = b.card(
        &activate,
        &sms,
        Card {
            name: "Approval SMS",
            description: "Account number and a link to set up the app login.",
            owner: "Operations",
            emotion: 1,
            pains: &[],
            opportunities: &[(Priority::Low, "Say when the card will arrive")],
            feedback_key: "approval_sms",
            ..Card::default()
        },
    );
    let card_mail = b.card(
        &activate,
        &post,
        Card {
            name: "Debit card arrives by post",
            description: "The card comes in four days; the PIN five days after that.",
            owner: "Card operations",
            emotion: -1,
            pains: &["Cannot pay until the PIN arrives"],
            opportunities: &[(
                Priority::High,
                "Virtual card and PIN in the app on approval",
            )],
            feedback_key: "card_mail",
            ..Card::default()
        },
    );
    let activation = b.card(
        &activate,
        &app,
        Card {
            name: "Activates the card in the app",
            description: "Adds the card to the phone wallet.",
            owner: "Digital banking",
            emotion: 1,
            pains: &[],
            opportunities: &[(
                Priority::Low,
                "Wallet provisioning straight from the approval SMS",
            )],
            feedback_key: "card_activation",
            ..Card::default()
        },
    );
    let switch = b.card(
        &first_use,
        &app,
        Card {
            name: "Switches salary and bills",
            description: "Uses the account switch service and pays the first bill.",
            owner: "Digital banking",
            emotion: 2,
            pains: &["Needs the old account's details, which she does not have at hand"],
            opportunities: &[(Priority::Medium, "Find the old account via open banking")],
            feedback_key: "account_switch",
            targets: targets(Some(40.0), Some(4.5), Some(2.0)),
        },
    );

    b.chain(
        &[
            &compare,
            &application,
            &id_scan,
            &poa,
            &status_call,
            &branch_visit,
            &approval,
            &card_mail,
            &activation,
            &switch,
        ],
        &[
            (true, &["chosen account"], "Has to find and install the app"),
            (true, &["application"], ""),
            (
                true,
                &["application", "identity check"],
                "No hint that more documents may follow",
            ),
            (
                false,
                &["name"],
                "The agent cannot see the verification case; she re-answers security questions",
            ),
            (
                false,
                &["documents"],
                "Call notes are not visible in the branch system; the application is re-keyed",
            ),
            (true, &["account number"], ""),
            (true, &["card"], ""),
            (true, &["card", "app login"], ""),
            (true, &["account"], ""),
        ],
    );

    b.lanes(
        &research,
        [
            &["Compares banks", "Reads the fee schedule"],
            &["What will this cost me per month?"],
            &[],
            &[],
            &["Rates published by treasury monthly"],
        ],
    );
    b.lanes(
        &apply,
        [
            &["Downloads the app", "Fills in the form"],
            &["This is taking longer than promised"],
            &["Form designed for branch staff, not phones"],
            &["Save and resume across devices"],
            &["Credit check and fraud screening"],
        ],
    );
    b.lanes(
        &verify,
        [
            &["Scans ID", "Uploads documents", "Calls", "Visits a branch"],
            &["Did they lose my application?"],
            &["Three channels, three partial views of one case"],
            &["One verification case visible to app, phone and branch"],
            &["KYC analysts review flagged cases in a separate tool"],
        ],
    );
    b.lanes(
        &activate,
        [
            &["Reads the SMS", "Waits for the card and PIN"],
            &["Finally! But when can I use it?"],
            &[],
            &["Instant virtual card"],
            &["Card printed by a third-party bureau"],
        ],
    );
    b.lanes(
        &first_use,
        [
            &["Moves salary", "Sets up bills"],
            &["Now it feels like my bank"],
            &[],
            &["Welcome check-in call for newcomers"],
            &["Switch service runs over seven working days"],
        ],
    );

    let amira = b.persona(
        Persona {
            name: "Amira, new to the country".into(),
            role: "Nurse on a work visa, first local bank account".into(),
            quote: "I can't rent a flat until I have an account.".into(),
            demographics: "29, arrived last month, no local credit history".into(),
            behaviours: strings(&["Does everything on her phone", "Calls when she is worried"]),
            goals: strings(&["An account before her first salary"]),
            needs: strings(&["Clear list of documents up front"]),
            frustrations: strings(&["Being asked for documents she cannot have yet"]),
            segment_key: "new_to_country".into(),
            ..Persona::default()
        },
        &[&app, &phone],
    );
    let daniel = b.persona(
        Persona {
            name: "Daniel, switching banks".into(),
            role: "Engineer moving from a high-street bank".into(),
            quote: "If it takes more than ten minutes I'll stay where I am.".into(),
            demographics: "41, two children, joint household finances".into(),
            behaviours: strings(&["Compares fees carefully", "Avoids phone calls"]),
            goals: strings(&["Lower fees", "Better app"]),
            needs: strings(&["A switch that moves every payment"]),
            frustrations: strings(&["Paper forms"]),
            segment_key: "switcher".into(),
            ..Persona::default()
        },
        &[&web, &app],
    );
    b.feel(
        &amira,
        &[
            (&application, -1),
            (&id_scan, -1),
            (&poa, -2),
            (&status_call, -2),
            (&branch_visit, 1),
            (&approval, 2),
            (&card_mail, -1),
        ],
    );
    b.feel(
        &daniel,
        &[
            (&compare, 1),
            (&application, 0),
            (&id_scan, 1),
            (&approval, 1),
            (&activation, 1),
            (&switch, 2),
        ],
    );
    b.map
}

/// From knee pain to recovery through GP, hospital and physiotherapy; the
/// context losses are the GP's X-ray not reaching the specialist and the
/// surgical notes not reaching the physiotherapist.
pub fn patient_journey(id: Id, now_ms: f64) -> JourneyMap {
    let mut b = Builder::new(
        id,
        now_ms,
        "Healthcare: knee pain to recovery",
        "Shorten the time from first GP visit to treatment and keep patients informed at every step",
        "Referral-to-treatment weeks; share of patients answering yes to \"I knew what would happen next\"",
    );
    let symptoms = b.stage("Symptoms", "Find out what is wrong with my knee");
    let referral = b.stage("Referral", "See a specialist soon");
    let diagnosis = b.stage("Diagnosis", "Understand my options");
    let treatment = b.stage("Treatment", "Get it fixed safely");
    let recovery = b.stage("Recovery", "Walk and work normally again");

    let portal = b.channel("Patient portal", ChannelKind::Digital);
    let gp = b.channel("GP practice", ChannelKind::Physical);
    let phone = b.channel("Phone", ChannelKind::Human);
    let sms = b.channel("SMS reminders", ChannelKind::Automated);
    let hospital = b.channel("Hospital", ChannelKind::Physical);
    let physio = b.channel("Physiotherapy clinic", ChannelKind::Physical);

    let book_gp = b.card(
        &symptoms,
        &portal,
        Card {
            name: "Books a GP appointment online",
            description: "The first free slot is nine days away.",
            owner: "Primary care",
            emotion: -1,
            pains: &["No triage: urgent and routine requests wait the same"],
            opportunities: &[(
                Priority::Medium,
                "Online triage questions that route to a nurse",
            )],
            feedback_key: "portal_booking",
            ..Card::default()
        },
    );
    let gp_visit = b.card(
        &symptoms,
        &gp,
        Card {
            name: "GP consultation and X-ray",
            description: "The GP orders an X-ray and refers to orthopaedics.",
            owner: "Primary care",
            emotion: 0,
            pains: &["Nobody can say how long the referral will take"],
            opportunities: &[(Priority::High, "Show the expected wait with the referral")],
            feedback_key: "gp_consult",
            targets: targets(None, Some(4.3), None),
        },
    );
    let booking_call = b.card(
        &referral,
        &phone,
        Card {
            name: "Hospital calls to book",
            description: "Patient access rings from a withheld number during working hours.",
            owner: "Patient access",
            emotion: -1,
            pains: &[
                "Missed two calls at work",
                "No way to call back the same person",
            ],
            opportunities: &[(Priority::High, "Let patients pick a slot in the portal")],
            feedback_key: "booking_call",
            targets: targets(None, None, Some(2.5)),
        },
    );
    let reminder = b.card(
        &referral,
        &sms,
        Card {
            name: "Appointment reminder",
            description: "SMS two days before, with the clinic name.",
            owner: "Patient access",
            emotion: 1,
            pains: &["No directions or parking information"],
            opportunities: &[(Priority::Low, "Link to a map and what to bring")],
            feedback_key: "reminder_sms",
            ..Card::default()
        },
    );
    let consult = b.card(
        &diagnosis,
        &hospital,
        Card {
            name: "Specialist consultation",
            description: "The orthopaedic surgeon examines the knee and orders an MRI.",
            owner: "Orthopaedics",
            emotion: -1,
            pains: &["The GP's X-ray is not there; history re-told and X-ray repeated"],
            opportunities: &[(Priority::High, "Images travel with the referral")],
            feedback_key: "specialist_consult",
            targets: targets(Some(30.0), Some(4.5), None),
        },
    );
    let mri = b.card(
        &diagnosis,
        &hospital,
        Card {
            name: "MRI scan",
            description: "Scan three weeks later in the radiology department.",
            owner: "Radiology",
            emotion: -1,
            pains: &["Unclear whether to stop taking anti-inflammatories"],
            opportunities: &[(Priority::Medium, "Preparation checklist in the reminder")],
            feedback_key: "mri_scan",
            ..Card::default()
        },
    );
    let results = b.card(
        &diagnosis,
        &portal,
        Card {
            name: "Reads results in the portal",
            description: "The radiology report is released before the follow-up appointment.",
            owner: "Health records",
            emotion: -2,
            pains: &["Medical jargon with no explanation causes a week of worry"],
            opportunities: &[(
                Priority::High,
                "Plain-language summary, or release after the consultant has called",
            )],
            feedback_key: "portal_results",
            ..Card::default()
        },
    );
    let surgery = b.card(
        &treatment,
        &hospital,
        Card {
            name: "Day surgery",
            description: "Keyhole surgery on the meniscus; home the same evening.",
            owner: "Surgical day unit",
            emotion: 1,
            pains: &["Long wait on the ward before discharge"],
            opportunities: &[(Priority::Medium, "Discharge pack prepared before surgery")],
            feedback_key: "day_surgery",
            targets: targets(Some(60.0), Some(4.7), None),
        },
    );
    let nurse_call = b.card(
        &recovery,
        &phone,
        Card {
            name: "Nurse follow-up call",
            description: "A nurse checks pain, swelling and the wound two days after surgery.",
            owner: "Nursing",
            emotion: 1,
            pains: &[],
            opportunities: &[(Priority::Low, "Photo of the wound through the portal")],
            feedback_key: "nurse_call",
            ..Card::default()
        },
    );
    let physio_sessions = b.card(
        &recovery,
        &physio,
        Card {
            name: "Physiotherapy sessions",
            description: "Six sessions over two months at a community clinic.",
            owner: "Rehabilitation",
            emotion: 2,
            pains: &["The physio requests surgical notes by fax; the first session is generic"],
            opportunities: &[(
                Priority::High,
                "Share the operation note with the physio on referral",
            )],
            feedback_key: "physio_sessions",
            targets: targets(Some(50.0), Some(4.6), None),
        },
    );

    b.chain(
        &[
            &book_gp,
            &gp_visit,
            &booking_call,
            &reminder,
            &consult,
            &mri,
            &results,
            &surgery,
            &nurse_call,
            &physio_sessions,
        ],
        &[
            (true, &["booking", "symptoms"], ""),
            (
                true,
                &["referral letter"],
                "Weeks of silence after the referral",
            ),
            (true, &["appointment"], ""),
            (
                false,
                &["appointment", "referral letter"],
                "The GP's X-ray images do not reach the hospital; the scan is repeated",
            ),
            (true, &["MRI request"], ""),
            (
                true,
                &["report"],
                "Results arrive before anyone explains them",
            ),
            (true, &["consent", "MRI report"], ""),
            (true, &["discharge summary"], ""),
            (
                false,
                &["physio referral"],
                "Surgical notes stay in the hospital; the physio starts without them",
            ),
        ],
    );

    b.lanes(
        &symptoms,
        [
            &["Books a GP visit", "Takes painkillers"],
            &["Is this serious?"],
            &[],
            &[],
            &["GP practice runs its own booking system"],
        ],
    );
    b.lanes(
        &referral,
        [
            &["Waits", "Misses calls", "Books the appointment"],
            &["Have they forgotten me?"],
            &["No visibility of the waiting list"],
            &["Referral tracker in the portal"],
            &["Referrals triaged weekly by a consultant"],
        ],
    );
    b.lanes(
        &diagnosis,
        [
            &["Sees the specialist", "Has an MRI", "Reads results"],
            &["What does \"degenerative tear\" mean for me?"],
            &["Information arrives before explanation"],
            &["Shared decision-making leaflet"],
            &["Radiology reports released automatically after 7 days"],
        ],
    );
    b.lanes(
        &treatment,
        [
            &["Pre-op assessment", "Surgery", "Goes home"],
            &["Nervous but relieved"],
            &[],
            &[],
            &["Theatre list planned two weeks ahead"],
        ],
    );
    b.lanes(
        &recovery,
        [
            &["Exercises at home", "Attends physio"],
            &["Will I be able to run again?"],
            &[],
            &["Exercise videos in the portal"],
            &["Community physio is a separate organisation"],
        ],
    );

    let margaret = b.persona(
        Persona {
            name: "Margaret, retired".into(),
            role: "Patient, 67".into(),
            quote: "I just want someone to tell me what happens next.".into(),
            demographics: "Lives alone, daughter helps with the portal".into(),
            behaviours: strings(&["Prefers phone calls", "Keeps paper copies of letters"]),
            goals: strings(&["Keep walking to the shops on her own"]),
            needs: strings(&["Explanations in plain words", "Transport to appointments"]),
            frustrations: strings(&["Being sent portal messages she cannot open"]),
            segment_key: "senior".into(),
            ..Persona::default()
        },
        &[&phone, &gp],
    );
    let jonas = b.persona(
        Persona {
            name: "Jonas, shift worker".into(),
            role: "Warehouse team lead, 38".into(),
            quote: "Every appointment costs me half a shift.".into(),
            demographics: "Works rotating shifts, two children".into(),
            behaviours: strings(&["Uses the portal at night", "Misses daytime calls"]),
            goals: strings(&["Back to work as soon as possible"]),
            needs: strings(&["Self-service booking", "Early or late slots"]),
            frustrations: strings(&["Calls from withheld numbers"]),
            segment_key: "working_age".into(),
            ..Persona::default()
        },
        &[&portal, &sms],
    );
    b.feel(
        &margaret,
        &[
            (&gp_visit, 1),
            (&booking_call, 1),
            (&consult, -1),
            (&results, -2),
            (&surgery, 0),
            (&nurse_call, 2),
            (&physio_sessions, 1),
        ],
    );
    b.feel(
        &jonas,
        &[
            (&book_gp, 0),
            (&booking_call, -2),
            (&reminder, 1),
            (&mri, -1),
            (&results, -1),
            (&surgery, 1),
            (&physio_sessions, 2),
        ],
    );
    b.map
}

/// A synthetic map of the size issue 3's performance target names (12
/// stages × 10 channels × 300 touchpoints, 200 handoffs) for the browser
/// benchmark. Content is deterministic so runs are comparable, and fills
/// every field the canvas draws so rendering cost is realistic. Touchpoints
/// need at least one stage and channel, and handoffs two touchpoints; counts
/// that cannot be met are met as far as possible.
pub fn large_map(
    stages: usize,
    channels: usize,
    touchpoints: usize,
    handoffs: usize,
) -> JourneyMap {
    let mut map = JourneyMap::new(Id::new("benchmark"), "Benchmark map", 0.0);
    let stage_ids: Vec<Id> = (0..stages)
        .map(|i| {
            let id = map.add_stage(format!("Stage {}", i + 1));
            let notes = vec![format!("Customer action {}", i + 1)];
            map.set_stage_lane(&id, Lane::Actions, notes)
                .expect("the stage was just added");
            id
        })
        .collect();
    let channel_ids: Vec<Id> = (0..channels)
        .map(|i| map.add_channel(format!("Channel {}", i + 1), ChannelKind::ALL[i % 4]))
        .collect();
    let persona = map.add_persona("Benchmark persona");
    let owners = [
        "Marketing",
        "Sales",
        "Product",
        "Support",
        "Operations",
        "Store",
    ];
    let (lo, hi) = (map.emotion_scale.min, map.emotion_scale.max);
    let span = usize::from(hi.abs_diff(lo)) + 1;
    let mut tp_ids = Vec::with_capacity(touchpoints);
    if !stage_ids.is_empty() && !channel_ids.is_empty() {
        for i in 0..touchpoints {
            let stage = &stage_ids[i % stages];
            let channel = &channel_ids[(i / stages) % channels];
            let id = map
                .add_touchpoint(stage, channel, format!("Touchpoint {}", i + 1))
                .expect("stage and channel were just added");
            let score = lo + i8::try_from(i % span).expect("a scale spans fewer than 128 steps");
            let t = map
                .touchpoint_mut(&id)
                .expect("the touchpoint was just added");
            t.description = format!(
                "What happens at touchpoint {}, in a sentence or two.",
                i + 1
            );
            t.owner = owners[i % owners.len()].into();
            t.emotion = Some(score);
            t.persona_emotions
                .insert(persona.clone(), hi - (score - lo));
            t.pain_points = vec![format!("Pain point {}", i + 1)];
            t.opportunities = vec![Opportunity {
                text: format!("Opportunity {}", i + 1),
                priority: Priority::Medium,
            }];
            t.feedback_key = format!("tp_{}", i + 1);
            tp_ids.push(id);
        }
    }
    if tp_ids.len() >= 2 {
        let n = tp_ids.len();
        for h in 0..handoffs {
            let from = h % n;
            let to = (from + 1 + h / n) % n;
            let to = if to == from { (from + 1) % n } else { to };
            let id = map
                .add_handoff(&tp_ids[from], &tp_ids[to], h % 5 != 0)
                .expect("both touchpoints exist and differ");
            if let Some(handoff) = map.handoffs.iter_mut().find(|x| x.id == id) {
                handoff.carries = vec!["identity".into()];
                handoff.friction = format!("Friction note {}", h + 1);
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_template() -> Vec<(&'static str, JourneyMap)> {
        TEMPLATES
            .iter()
            .map(|t| (t.key, (t.build)(Id::new(format!("map-{}", t.key)), 1_000.0)))
            .collect()
    }

    #[test]
    fn every_template_is_valid() {
        for (key, map) in every_template() {
            if let Err(e) = map.validate() {
                panic!("template {key} is invalid: {e}");
            }
        }
    }

    #[test]
    fn every_template_teaches_the_whole_method() {
        for (key, map) in every_template() {
            let n = map.touchpoints.len();
            assert!((6..=12).contains(&n), "{key}: {n} touchpoints");
            assert!(!map.goal.objective.is_empty() && !map.goal.kpi.is_empty());
            assert!(!map.personas.is_empty(), "{key}: no persona");
            assert!(map.personas.iter().all(|p| !p.segment_key.is_empty()));
            assert!(map.context_losses().count() >= 1, "{key}: no context loss");
            assert!(map.handoffs.iter().all(|h| !h.carries.is_empty()));
            for t in &map.touchpoints {
                assert!(t.emotion.is_some(), "{key}/{}: no emotion", t.name);
                assert!(!t.owner.is_empty(), "{key}/{}: no owner", t.name);
                assert!(!t.feedback_key.is_empty(), "{key}/{}: no key", t.name);
            }
            for lane in Lane::TEXT {
                let notes = map.stages.iter().filter(|s| !s.lanes.get(lane).is_empty());
                assert!(notes.count() >= 1, "{key}: {} lane is empty", lane.label());
            }
            for p in &map.personas {
                let curve = map
                    .touchpoints
                    .iter()
                    .filter(|t| t.persona_emotions.contains_key(&p.id));
                assert!(curve.count() >= 2, "{key}: {} has no curve", p.name);
            }
            assert!(map.touchpoints.iter().any(|t| !t.pain_points.is_empty()));
            assert!(map.touchpoints.iter().any(|t| !t.opportunities.is_empty()));
        }
    }

    #[test]
    fn feedback_keys_are_unique_within_a_template() {
        for (key, map) in every_template() {
            let mut keys: Vec<&str> = map
                .touchpoints
                .iter()
                .map(|t| t.feedback_key.as_str())
                .collect();
            keys.sort_unstable();
            let before = keys.len();
            keys.dedup();
            assert_eq!(before, keys.len(), "{key}: duplicate feedback key");
        }
    }

    #[test]
    fn template_keys_are_unique_and_found() {
        for t in TEMPLATES {
            assert_eq!(template(t.key).map(|x| x.title), Some(t.title));
        }
        assert!(template("nope").is_none());
    }

    #[test]
    fn large_map_has_the_requested_size_and_is_valid() {
        let m = large_map(12, 10, 300, 200);
        let s = m.summary();
        assert_eq!(
            (s.stages, s.channels, s.touchpoints, s.handoffs),
            (12, 10, 300, 200)
        );
        assert_eq!(s.context_losses, 40);
        let used: std::collections::HashSet<(&Id, &Id)> = m
            .touchpoints
            .iter()
            .map(|t| (&t.stage, &t.channel))
            .collect();
        assert_eq!(used.len(), 120, "every cell has cards");
        m.validate().unwrap();
        assert_eq!(large_map(1, 1, 1, 5).handoffs.len(), 0);
        assert_eq!(large_map(0, 3, 10, 5).touchpoints.len(), 0);
        large_map(2, 2, 3, 50).validate().unwrap();
    }

    #[test]
    fn retail_follows_issue_two_story() {
        let m = retail(Id::new("r"), 42.0);
        assert_eq!(m.id, Id::new("r"));
        assert_eq!(m.created_ms, 42.0);
        let names: Vec<&str> = m.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Awareness",
                "Consideration",
                "Purchase",
                "Retention",
                "Advocacy"
            ]
        );
        let key_of = |id: &Id| m.touchpoint(id).unwrap().feedback_key.as_str();
        let lost: Vec<(&str, &str)> = m
            .context_losses()
            .map(|h| (key_of(&h.from), key_of(&h.to)))
            .collect();
        assert_eq!(lost, [("chat_sizing", "store_visit")]);
        assert_eq!(m.handoffs.len(), m.touchpoints.len() - 1);
        let kinds: std::collections::HashSet<ChannelKind> =
            m.channels.iter().map(|c| c.kind).collect();
        assert_eq!(kinds.len(), ChannelKind::ALL.len());
    }
}
