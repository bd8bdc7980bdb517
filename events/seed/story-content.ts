/**
 * The demo archive's content: the company's themes and the stories its people told about their
 * leaders, 2016–2026. Plain data only; events/seed/stories.ts turns it into events, picks a
 * teller from `tellerDept` (and, as a hint, `tellerRole`) and gives each story its ids.
 *
 * The company is a fictional telecoms and network-services firm; every person and customer named
 * here is invented.
 */

export type DemoSpread = 'word-of-mouth' | 'broadcast' | 'local' | 'quiet';
export type DemoRelation = 'witnessed' | 'participated' | 'heard';
export type DemoDepartmentId =
  | 'dept-noc'
  | 'dept-repair'
  | 'dept-sales'
  | 'dept-finance'
  | 'dept-eng'
  | 'dept-care'
  | 'dept-people'
  | 'dept-product'
  | 'dept-legal'
  | 'dept-exec';

export interface DemoTheme {
  themeId: string;
  name: string;
  /** written for new hires */
  description: string;
}

export interface DemoStory {
  /** stable key, also used by `retellingOfKey` */
  key: string;
  title: string;
  /** plain text, paragraphs separated by a blank line */
  body: string;
  /** the leader as the teller names them: "name, role" */
  leader: string;
  /** the teller's department when they told it */
  tellerDept: DemoDepartmentId;
  /** a rough role, so the generator can pick a fitting teller */
  tellerRole?: string;
  /** the department where the behaviour happened */
  happenedIn?: DemoDepartmentId;
  /** YYYY, YYYY-MM or YYYY-MM-DD */
  occurredOn: string;
  /** theme ids, 0–3 */
  themes: string[];
  relation: DemoRelation;
  anonymous: boolean;
  retellingOfKey?: string;
  spread: DemoSpread;
  /** YYYY-MM-DD, when it was recorded in the archive */
  toldAt: string;
}

export const DEMO_THEMES: DemoTheme[] = [
  {
    themeId: 'theme-vision',
    name: 'A shared vision',
    description:
      'We build networks that people can forget about because they simply work. Stories here show leaders keeping that picture in front of everyone, especially when it would have been easier to lose sight of it.',
  },
  {
    themeId: 'theme-customer',
    name: 'Customer first',
    description:
      'Behind every circuit is a hospital, a shop or a family waiting for it to come back. These stories show what putting them first looks like when it costs us something.',
  },
  {
    themeId: 'theme-serve',
    name: 'Leaders who serve',
    description:
      'Our best leaders carry the ladder, make the coffee and take the 3 a.m. call. Read these to see what we expect of anyone who leads here, whatever their title.',
  },
  {
    themeId: 'theme-mistakes',
    name: 'Owning mistakes',
    description:
      'Everyone here gets things wrong, leaders included. What matters is saying so early, fixing it and telling others what we learned.',
  },
  {
    themeId: 'theme-courage',
    name: 'Courage to say no',
    description:
      'Sometimes the right answer to a customer, a board or a boss is no. These are the moments people said it, and why it was right.',
  },
  {
    themeId: 'theme-growing',
    name: 'Growing people',
    description:
      'Many of our leads started on the phones or in the vans. These stories are about the people who taught them, trusted them and stepped aside for them.',
  },
  {
    themeId: 'theme-frugal',
    name: 'Frugal and fast',
    description:
      'We spend money as if it were our own and would rather ship something simple this week than something perfect next year.',
  },
  {
    themeId: 'theme-safety',
    name: 'Safety before speed',
    description:
      'No outage is worth a fall from a pole or a rushed change at midnight. Here are the times leaders slowed us down to keep people and networks safe.',
  },
];

const MARTA = 'Marta Ilves, founder and CEO';
const ROSA = 'Rosa Lindqvist, CEO';
const TOMASZ = 'Tomasz Weber, CFO';
const PRIYA = 'Priya Nandakumar, head of the network operations centre';
const JOE = 'Joe Barros, repair crew lead';
const HELEN = 'Helen Achterberg, VP of Sales';
const KWAME = 'Kwame Asante, head of engineering';
const SOFIE = 'Sofie Brandt, customer care team lead';
const LENA = 'Lena Park, head of people and culture';
const INES = 'Ines Carvalho, general counsel';
const RAVI = 'Ravi Menon, head of product';

export const DEMO_STORIES: DemoStory[] = [
  {
    key: 'vision-one-page',
    title: 'The vision on the back of a network diagram',
    body: `In the first month there were six of us in a rented room above a tyre shop. Marta called us to the one table we had, turned over a printed network diagram and wrote a single sentence on the back: "Networks that people forget about, because they just work."

Then she asked each of us to write underneath what that would mean for our part of the job. I wrote something clumsy about alarms that only fire when something is really wrong. Our first field tech wrote "Nobody should have to call us twice." Marta pinned the sheet to the wall with a drawing pin and said that was our strategy, and that we would rewrite it when it stopped being true.

The sheet moved office three times. It is framed in the lobby now, coffee ring and all. When we argue about what to build next, somebody usually ends up standing in front of it.`,
    leader: MARTA,
    tellerDept: 'dept-eng',
    tellerRole: 'network engineer, one of the first six employees',
    happenedIn: 'dept-exec',
    occurredOn: '2016-02',
    themes: ['theme-vision'],
    relation: 'participated',
    anonymous: false,
    spread: 'broadcast',
    toldAt: '2019-03-04',
  },
  {
    key: 'remembered-names',
    title: 'She knew the name of the cleaner’s daughter',
    body: `Small thing, but I have never forgotten it. In my first week Marta stopped at my desk, asked how the commute from the coast was going, and then asked after the night cleaner's daughter by name, because she had just started university. I had been in the building five days and did not know the cleaner's name.

Later I noticed she did it with everyone: drivers, the people from the canteen company, the contractor who fixed the lift. She never made a show of it. She just paid attention.`,
    leader: MARTA,
    tellerDept: 'dept-finance',
    tellerRole: 'accounts assistant',
    occurredOn: '2016-10',
    themes: [],
    relation: 'witnessed',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2019-06-21',
  },
  {
    key: 'second-hand-racks',
    title: 'Tomasz and the van full of second-hand racks',
    body: `We needed equipment racks for the first point of presence and the quotes were eye-watering. Tomasz found out that a data centre two hours north had gone bankrupt and its fittings were being sold off by the liquidator.

He hired a van on a Saturday, picked me up at six, and the two of us spent the day unbolting racks and cable trays. He had checked every rack's load rating against the spec sheet before we left and refused two that were bent. We paid about a fifth of the new price.

On the drive back he said the money we had not spent was three months of salary for another field tech. That was how he thought about every purchase after that, too.`,
    leader: TOMASZ,
    tellerDept: 'dept-eng',
    tellerRole: 'infrastructure engineer',
    happenedIn: 'dept-finance',
    occurredOn: '2016-06',
    themes: ['theme-frugal'],
    relation: 'participated',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2019-04-11',
  },
  {
    key: 'first-outage-apology',
    title: 'Coffee at 3 a.m. and an apology with her own name on it',
    body: `Our first serious outage: a power supply failed in a core router and half our business customers lost their lines in the middle of the night. There were three of us on shift in what we optimistically called the NOC.

Marta arrived about forty minutes in. She did not ask for an ETA. She made coffee, took over the phone so we could work, and wrote down every customer who called, with their name and what it was costing them. When someone from a customer's IT department shouted at her, she let him finish and then told him exactly what we knew and what we did not.

The next morning the apology to customers went out under her name, not ours. It said plainly that we had no spare power supply on site because she had decided to save money on spares, and that this had been the wrong call. Spares arrived that week.`,
    leader: MARTA,
    tellerDept: 'dept-noc',
    tellerRole: 'NOC engineer on the night shift',
    happenedIn: 'dept-noc',
    occurredOn: '2016-11-17',
    themes: ['theme-serve', 'theme-mistakes'],
    relation: 'participated',
    anonymous: false,
    spread: 'broadcast',
    toldAt: '2019-05-02',
  },
  {
    key: 'open-house',
    title: 'The CIO at the open house, and the personal phone number',
    body: `Our first open house was meant to be a celebration. We had balloons, a tour of the NOC and a cake shaped like a fibre spool. About an hour in, the CIO of the regional hospital group, our biggest customer by far, walked straight past the cake and cornered Marta by the window.

He was furious, and he had reason to be. His sites had had repeated drops for a month, his tickets had been bounced between teams, and nobody had called him back with a straight answer. He said all of this loudly, in front of guests.

Marta did not defend us. She said, "You're right. We have handled this badly." Then she took a card, wrote her personal cell number on the back and told him to call her any time, day or night, until it was fixed.

He did. For about six weeks he called her at odd hours, sometimes at two in the morning, and she answered every time, then called the NOC or the repair crew to chase it. The drops were traced to a faulty batch of line cards and replaced. The hospital group stayed with us for years afterwards.`,
    leader: MARTA,
    tellerDept: 'dept-sales',
    tellerRole: 'account manager for the hospital group',
    happenedIn: 'dept-exec',
    occurredOn: '2017-04',
    themes: ['theme-customer', 'theme-serve'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'word-of-mouth',
    toldAt: '2019-05-14',
  },
  {
    key: 'open-house-noc',
    title: 'Why the hospital tickets go to the top of the queue',
    body: `When I started on the NOC desk, my shift lead told me this one on my first night. Years ago, at an open house, the hospital group's CIO had a go at Marta in front of everyone. She told him he was right and gave him her own mobile number, and for weeks he rang her at all hours and she picked up every time.

That is why, she said, nobody here lets a ticket bounce between teams. If you are holding it, you own it until someone else says "mine" out loud.`,
    leader: MARTA,
    tellerDept: 'dept-noc',
    tellerRole: 'NOC engineer, joined 2022',
    happenedIn: 'dept-exec',
    occurredOn: '2017',
    themes: ['theme-customer'],
    relation: 'heard',
    anonymous: false,
    retellingOfKey: 'open-house',
    spread: 'local',
    toldAt: '2023-02-08',
  },
  {
    key: 'open-house-repair',
    title: 'Heard it in the van: the founder who answered at 2 a.m.',
    body: `Every new tech gets this one on their first long drive. The way Joe tells it, the founder got shouted at by a big customer at a party and, instead of arguing, gave the man her own number and answered it at two in the morning for weeks.

The point, he says, is that when a customer calls us at night, somebody senior once did that for them personally. So we don't grumble about the call-out. We go, and we ring the customer from the van to say we're on our way.`,
    leader: MARTA,
    tellerDept: 'dept-repair',
    tellerRole: 'field technician, apprentice year',
    occurredOn: '2017',
    themes: ['theme-serve'],
    relation: 'heard',
    anonymous: false,
    retellingOfKey: 'open-house',
    spread: 'local',
    toldAt: '2026-10-29',
  },
  {
    key: 'ladder-rule',
    title: 'Not up that pole, not in this wind',
    body: `A shopping centre had lost its connection on the Saturday before Christmas and their manager was on the phone every ten minutes. The fault was at the top of a pole on the ring road, and the wind was gusting hard enough to rock the van.

I had my harness on and was ready to go up. Joe looked at the anemometer on his phone, then at me, and said, "Not today." The centre manager threatened to cancel the contract. Joe took the phone, told him we would be up the pole the minute the gusts dropped below the limit and not a minute before, and that he would rather lose the contract than visit one of his crew in hospital.

We waited two hours in the van with the heater on. Then we went up and fixed it in twenty minutes. The centre renewed the following year.`,
    leader: JOE,
    tellerDept: 'dept-repair',
    tellerRole: 'field technician',
    happenedIn: 'dept-repair',
    occurredOn: '2017-12-16',
    themes: ['theme-safety', 'theme-courage'],
    relation: 'participated',
    anonymous: false,
    spread: 'word-of-mouth',
    toldAt: '2019-08-27',
  },
  {
    key: 'soup-on-migration-night',
    title: 'Soup on migration night',
    body: `The big core migration ran from ten at night to about seven in the morning. Around two, when everyone was flagging and the rollback plan was looking tempting, Kwame came in with a pot of his own lentil soup and a stack of paper cups.

He did not say anything about the migration. He just ladled it out and asked people about their kids. I don't know why that night stays with me, but it does. We finished the migration without rolling back.`,
    leader: KWAME,
    tellerDept: 'dept-noc',
    tellerRole: 'NOC engineer',
    happenedIn: 'dept-noc',
    occurredOn: '2018-01',
    themes: [],
    relation: 'witnessed',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2020-01-15',
  },
  {
    key: 'walked-away',
    title: 'The contract Helen walked away from',
    body: `It was the biggest deal we had ever been close to: a logistics company wanting guaranteed four-hour restoration across forty depots, some of them three hours from our nearest crew. The procurement team wanted the number in the contract, with penalties.

Helen spent a day with Joe and the repair planners working out whether we could really do it. The answer was: at most of the depots, yes; at the remote ones, not without lying. She went back and offered four hours where we could keep it and eight where we couldn't. They said no and went with a bigger carrier.

Our quarter looked terrible. Helen told the sales team in the Monday meeting that she would rather explain a missed target to the board than explain a broken promise to a customer. Eighteen months later the same logistics company came back, after the other carrier missed its four hours repeatedly, and signed on our terms.`,
    leader: HELEN,
    tellerDept: 'dept-sales',
    tellerRole: 'sales executive',
    happenedIn: 'dept-sales',
    occurredOn: '2018-03',
    themes: ['theme-courage', 'theme-customer'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'word-of-mouth',
    toldAt: '2019-10-03',
  },
  {
    key: 'handover-notebook',
    title: 'Priya’s handover notebook and her monthly night shift',
    body: `When Priya took over the NOC, handovers were a mumble at the door and a coat being put on. She brought in a paper notebook, one page per shift: what is open, what is odd, what you promised someone. The incoming engineer reads it aloud and the outgoing one does not leave until the questions are answered.

People rolled their eyes for about a month. Then a half-finished change got caught at handover that would have taken out a bank's branches at opening time, and nobody rolled their eyes again.

What I remember just as much is that she put herself on the rota: one night shift a month, every month, for years. She said she could not write rules for nights she never worked.`,
    leader: PRIYA,
    tellerDept: 'dept-noc',
    tellerRole: 'NOC shift lead',
    happenedIn: 'dept-noc',
    occurredOn: '2018-06',
    themes: ['theme-serve', 'theme-growing'],
    relation: 'participated',
    anonymous: false,
    spread: 'local',
    toldAt: '2020-02-19',
  },
  {
    key: 'care-script',
    title: 'Sofie tore up the outage script',
    body: `During outages we used to read from a script: "We are aware of an issue affecting some customers." People hated it and so did we. After a bad week of storms Sofie called the team together, held up the laminated script and put it in the bin.

Instead she gave us three things: tell the customer what we actually know, tell them when we will call back, and then call back. She also got us the authority to credit up to fifty euros on the spot without asking a manager.

Some of the newer agents were nervous, so for the first month she sat on the floor with us during every outage, listening in and passing notes. Our complaint numbers dropped, but mostly the job just felt like a job for adults.`,
    leader: SOFIE,
    tellerDept: 'dept-care',
    tellerRole: 'customer care agent',
    happenedIn: 'dept-care',
    occurredOn: '2018-10',
    themes: ['theme-customer', 'theme-growing'],
    relation: 'participated',
    anonymous: false,
    spread: 'local',
    toldAt: '2019-11-26',
  },
  {
    key: 'pairing-week',
    title: 'A week of pairing, and my name on the slide',
    body: `I was six months out of university and had never touched a production router. Kwame cleared his calendar for a week and sat next to me while I rewrote the routing policy for our business customers. He mostly asked questions. When I got something wrong he let me find it in the lab rather than telling me.

At the architecture review he could have presented it himself. Instead my name was the only one on the title slide and he sat at the back. Afterwards he said the best way to learn a design is to defend it.`,
    leader: KWAME,
    tellerDept: 'dept-eng',
    tellerRole: 'junior network engineer',
    happenedIn: 'dept-eng',
    occurredOn: '2019-02',
    themes: ['theme-growing'],
    relation: 'participated',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2020-06-09',
  },
  {
    key: 'board-said-no',
    title: 'The day Marta told the board no',
    body: `In spring 2019 a large national carrier offered to buy us. The price was good and some of the board were keen. I was taking notes in the meeting.

Marta listened to the whole pitch. Then she walked them through what the carrier had done with the last two regional networks it bought: call centres merged, field crews cut, repair times doubled within a year. She said our customers had chosen us precisely because we were not that, and she would not recommend selling them to it.

She was not against ever selling. She said so. But she asked the board for two more years to show the business could grow on its own, and she put her own shares on the table as part of the bet. They gave her the two years. We grew faster than anyone had forecast.`,
    leader: MARTA,
    tellerDept: 'dept-exec',
    tellerRole: 'executive assistant',
    happenedIn: 'dept-exec',
    occurredOn: '2019-04',
    themes: ['theme-courage', 'theme-vision'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'word-of-mouth',
    toldAt: '2021-01-12',
  },
  {
    key: 'blameless-review',
    title: 'Priya listed her own mistake first',
    body: `We had a routing loop that took down the voice platform for ninety minutes. In the review everyone was waiting to find out whose change it was. It was mine, and I had barely slept.

Priya opened the review by putting up a slide titled "What I got wrong". She had approved the change window without a second reviewer because we were short-staffed, and she said that was the real cause: the process had let one tired person carry the risk alone. Only then did we go through the timeline, and nobody used anyone's name as a cause.

We came out with three fixes, one of them to her own approval rules. I have run reviews that way ever since. People from engineering and care started asking to sit in on ours.`,
    leader: PRIYA,
    tellerDept: 'dept-noc',
    tellerRole: 'NOC engineer',
    happenedIn: 'dept-noc',
    occurredOn: '2019-07',
    themes: ['theme-mistakes', 'theme-serve'],
    relation: 'participated',
    anonymous: false,
    spread: 'word-of-mouth',
    toldAt: '2020-09-30',
  },
  {
    key: 'one-paragraph-expenses',
    title: 'The one-paragraph expense policy',
    body: `Our expense policy used to be eleven pages, and the field crews were forever waiting for approval to buy a replacement connector at a wholesaler. Tomasz rewrote it as one paragraph: spend it as if it were your own money, keep the receipt, and write one line saying why.

Some of us in finance thought costs would explode. They went down. He said people are more careful when you trust them than when you check them. The crews stopped losing half a day waiting for a signature.`,
    leader: TOMASZ,
    tellerDept: 'dept-finance',
    tellerRole: 'finance analyst',
    happenedIn: 'dept-finance',
    occurredOn: '2019-09',
    themes: ['theme-frugal'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2021-04-20',
  },
  {
    key: 'care-to-noc',
    title: 'From the phones to the NOC',
    body: `I had been answering calls for three years and kept asking the NOC engineers how things worked. Lena noticed. She did not have a programme for people like me, so she wrote one: six months, two days a week shadowing the NOC, with a proper certificate at the end, and my care hours covered by a temporary hire she fought finance for.

Half way through I wanted to give up. She met me for coffee, asked what was hard, and then arranged for me to do my night shadowing with the calmest shift lead we had. I have been a NOC engineer for five years now. Four people have followed the same path.`,
    leader: LENA,
    tellerDept: 'dept-noc',
    tellerRole: 'NOC engineer, formerly customer care',
    happenedIn: 'dept-people',
    occurredOn: '2019-11',
    themes: ['theme-growing'],
    relation: 'participated',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2024-05-16',
  },
  {
    key: 'pandemic-town-hall',
    title: 'No layoffs, and the crews get the masks first',
    body: `The first week of lockdown, Marta held a town hall from her kitchen. Everyone expected bad news.

She said three things. First, nobody would be laid off that year because of the pandemic; she and the executive team were taking a pay cut to make the numbers work, and she told us the percentage. Second, the field crews and the NOC would get protective equipment before anyone in an office did, including her. Third, any customer running a hospital, a care home or a pharmacy would go to the front of every queue.

Then she took questions for an hour, and when she did not know an answer she said so and gave a date when she would. She kept every one of those dates.`,
    leader: MARTA,
    tellerDept: 'dept-care',
    tellerRole: 'customer care agent',
    happenedIn: 'dept-exec',
    occurredOn: '2020-03',
    themes: ['theme-serve', 'theme-safety', 'theme-customer'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'broadcast',
    toldAt: '2020-05-07',
  },
  {
    key: 'ppe-run',
    title: 'Joe’s sanitiser run',
    body: `In the first weeks of the pandemic you could not buy masks or hand gel anywhere. Joe spent two evenings ringing every supplier he had ever bought cable ties from, and found a boat-parts wholesaler with boxes of both.

Then he drove round all six depots himself, at the start of each shift, and handed every crew a bag with masks, gel and gloves. He made each of us show him how we were going to take the gloves off without touching the outside. Some of us laughed. He didn't.

None of his crews had a serious case that spring. People in the NOC heard about it and started calling him "the quartermaster".`,
    leader: JOE,
    tellerDept: 'dept-repair',
    tellerRole: 'field technician',
    happenedIn: 'dept-repair',
    occurredOn: '2020-04',
    themes: ['theme-safety', 'theme-serve'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'word-of-mouth',
    toldAt: '2020-07-14',
  },
  {
    key: 'plain-contract',
    title: 'Four pages instead of thirty-one',
    body: `When Ines joined, our standard customer contract was thirty-one pages and small businesses were sending it to their own lawyers, which delayed every sale by a month. She rewrote it in plain language: four pages, with the restoration times and the credits in a table on page one.

Sales loved it. What impressed me was that she tested it by handing it to a florist and a garage owner and asking them to explain it back to her. She changed every clause they got wrong.`,
    leader: INES,
    tellerDept: 'dept-legal',
    tellerRole: 'paralegal',
    happenedIn: 'dept-legal',
    occurredOn: '2020-09',
    themes: ['theme-customer', 'theme-frugal'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2021-07-01',
  },
  {
    key: 'portal-retired',
    title: 'Ravi switched off his own product',
    body: `The self-service portal was Ravi's idea and he had championed it for two years. When the numbers came in, fewer than three percent of customers had logged in more than once, and most of those were calling us anyway to check the portal was right.

He could have asked for another year and a redesign. Instead he wrote a short document called "Why I was wrong about the portal", shared it with the whole company, and proposed switching it off and moving the team onto the outage text messages customers had actually asked for.

I was on the portal team and was gutted. But he met each of us individually to talk about what we wanted to work on next, and the text-message service shipped in ten weeks. It is still the thing customers mention most in surveys.`,
    leader: RAVI,
    tellerDept: 'dept-product',
    tellerRole: 'product designer',
    happenedIn: 'dept-product',
    occurredOn: '2021-02',
    themes: ['theme-mistakes', 'theme-courage', 'theme-frugal'],
    relation: 'participated',
    anonymous: false,
    spread: 'word-of-mouth',
    toldAt: '2021-09-08',
  },
  {
    key: 'forecast-correction',
    title: 'The morning-after phone call to the board',
    body: `Tomasz presented the annual forecast to the board on a Thursday. On Friday morning, checking the model again, he found he had double-counted a customer's renewal. Revenue was overstated by about four percent.

Nobody on the board would have noticed until the half-year. He rang the chair before nine, sent a corrected pack by lunchtime with the error marked in red, and then sat with the two of us who had built the model to add a check that would have caught it. He never once suggested it was our spreadsheet.`,
    leader: TOMASZ,
    tellerDept: 'dept-finance',
    tellerRole: 'financial planning analyst',
    happenedIn: 'dept-finance',
    occurredOn: '2021-03',
    themes: ['theme-mistakes'],
    relation: 'participated',
    anonymous: false,
    spread: 'local',
    toldAt: '2021-05-25',
  },
  {
    key: 'no-quarter-end-discount',
    title: 'No fire-sale at the end of the quarter',
    body: `We were about eight percent short with two weeks to go. The usual move in our industry is to ring round prospects offering a big discount if they sign by the thirty-first. A few of us had the list ready.

Helen stopped it. She said customers who buy on a panic discount learn that our prices are fake, and they wait for the next quarter-end. We missed the number. She stood up in front of the executive team and owned it, and the next quarter we beat it without a single special offer.`,
    leader: HELEN,
    tellerDept: 'dept-sales',
    tellerRole: 'sales team lead',
    happenedIn: 'dept-sales',
    occurredOn: '2021-05',
    themes: ['theme-courage'],
    relation: 'participated',
    anonymous: false,
    spread: 'local',
    toldAt: '2021-08-17',
  },
  {
    key: 'splicing-apprentice',
    title: 'Joe let me do the customer job',
    body: `In my apprentice year Joe taught me fibre splicing in the back of the van, over and over, until my splice losses were as low as his. Then a job came up at a school: a cut cable, the head teacher watching, parents about to arrive.

I expected to hand him the tools. He handed them to me, went to talk to the head teacher, and only came back to check the meter reading at the end. On the way out he told the head teacher my name and said I had done the repair. I was nineteen. I still think about that.`,
    leader: JOE,
    tellerDept: 'dept-repair',
    tellerRole: 'field technician, former apprentice',
    happenedIn: 'dept-repair',
    occurredOn: '2021-08',
    themes: ['theme-growing'],
    relation: 'participated',
    anonymous: false,
    spread: 'local',
    toldAt: '2022-03-03',
  },
  {
    key: 'marta-last-day',
    title: 'Marta spent her last day in a repair van',
    body: `When Marta handed over to Rosa, we expected speeches and a farewell dinner. There was a small dinner, but she spent her actual last day as CEO riding along with my crew.

She carried the ladder, held the torch while I worked in a flooded pit, and asked the customers at every stop what we could do better. At lunch in a petrol station she told us that the sentence on the back of the first network diagram was still the job, and that Rosa believed it as much as she did.

At the end of the day she thanked each of us by name, gave Joe back the hi-vis jacket she had borrowed, and drove home. The next morning there was a short note to the whole company. It mostly talked about us.`,
    leader: MARTA,
    tellerDept: 'dept-repair',
    tellerRole: 'field technician',
    happenedIn: 'dept-repair',
    occurredOn: '2022-01-28',
    themes: ['theme-vision', 'theme-serve'],
    relation: 'participated',
    anonymous: false,
    spread: 'broadcast',
    toldAt: '2022-02-10',
  },
  {
    key: 'listening-tour',
    title: 'Rosa sat in the queue',
    body: `In her first ninety days Rosa spent a day in every department. In ours she did not want a presentation. She put on a headset, sat next to me and listened to live calls for four hours, taking notes on a pad.

One caller had been waiting nine days for a line move. Rosa asked afterwards, quietly, how many of those there were, and I said at least thirty. Within a month there was a weekly review of every order older than a week, and she came to the first three.

People in the NOC and the repair depots told us she had done the same with them: riding along, sitting on night shifts, asking what was annoying us rather than telling us her plan. Her plan came after.`,
    leader: ROSA,
    tellerDept: 'dept-care',
    tellerRole: 'customer care agent',
    happenedIn: 'dept-care',
    occurredOn: '2022-04',
    themes: ['theme-serve', 'theme-customer'],
    relation: 'participated',
    anonymous: false,
    spread: 'word-of-mouth',
    toldAt: '2022-07-19',
  },
  {
    key: 'alarm-fatigue',
    title: 'Two weeks with no new projects',
    body: `By 2022 the NOC was drowning in alarms, most of them meaningless. Priya told the executive team that for two weeks her team would take on no new projects at all and spend the time killing false alarms. There was pushback. She held the line.

We cut the alarm volume by about eighty percent. More importantly, the junior engineers did most of the work and learned how every alarm rule was built. She said that was the point: next time, she would not be needed.`,
    leader: PRIYA,
    tellerDept: 'dept-noc',
    tellerRole: 'NOC engineer',
    happenedIn: 'dept-noc',
    occurredOn: '2022-09',
    themes: ['theme-growing', 'theme-frugal'],
    relation: 'participated',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2023-01-24',
  },
  {
    key: 'stairwell',
    title: 'She changed the rota and asked nothing',
    body: `I won't say who I am. That autumn things at home were very bad and one afternoon I went to the stairwell between calls and couldn't stop crying. Sofie came down the stairs, saw me, and sat on the step beside me for a while without saying anything.

The next day my shifts had been moved to ones that fitted around the hospital visits. She never asked me to explain and never mentioned it in front of anyone. I don't think the others ever knew.`,
    leader: SOFIE,
    tellerDept: 'dept-care',
    tellerRole: 'customer care agent',
    happenedIn: 'dept-care',
    occurredOn: '2022-11',
    themes: ['theme-serve'],
    relation: 'participated',
    anonymous: true,
    spread: 'quiet',
    toldAt: '2023-03-15',
  },
  {
    key: 'field-parental-leave',
    title: 'A parental leave policy that worked for the vans',
    body: `Our old parental leave policy assumed everyone had a desk and could work from home for a few weeks. For field techs that meant nothing. Lena spent a month with the depots, asked the crews what would actually help, and rewrote it: paid leave the same for everyone, plus a phased return with depot-only shifts and no overnight call-outs for six months.

She made the repair crew leads sign off the rota rules themselves, so nobody could quietly ignore them. Two of the techs on my crew have used it since.`,
    leader: LENA,
    tellerDept: 'dept-repair',
    tellerRole: 'repair crew supervisor',
    happenedIn: 'dept-people',
    occurredOn: '2023-02',
    themes: ['theme-growing'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2023-10-05',
  },
  {
    key: 'launch-paused',
    title: 'We do not announce anything while customers are dark',
    body: `A digger cut one of our main fibre routes on the morning we were due to launch the new business broadband packages. The press release was scheduled, the ads were booked, and the marketing agency was on a call with us when the alarms went off.

Rosa joined the call five minutes later and stopped the launch. Her words were, "We do not announce anything while customers are dark." The agency warned her about the cost of moving the ad slots. She said to move them anyway, and to put the money we would lose on her budget line, not ours.

Then she spent the afternoon in the NOC, mostly keeping people away from the engineers. We launched eight days later, with a line in the announcement thanking customers for their patience during the cut.`,
    leader: ROSA,
    tellerDept: 'dept-product',
    tellerRole: 'product marketing manager',
    happenedIn: 'dept-noc',
    occurredOn: '2023-06-14',
    themes: ['theme-customer', 'theme-courage'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'word-of-mouth',
    toldAt: '2023-07-03',
  },
  {
    key: 'honest-pitch',
    title: 'Helen brought an engineer to the pitch',
    body: `For the port authority bid Helen insisted we bring one of the NOC engineers to the final presentation. Not to impress them: to answer the awkward questions honestly, including what our network could not yet do at the far end of the container terminal.

I was the engineer. I was nervous about saying "we can't do that yet" in front of a customer. Helen told me beforehand that if I said it plainly she would back me, and she did. The port's CTO told us afterwards it was the only pitch where anyone had admitted a limitation.`,
    leader: HELEN,
    tellerDept: 'dept-noc',
    tellerRole: 'senior NOC engineer',
    happenedIn: 'dept-sales',
    occurredOn: '2023-09',
    themes: ['theme-customer', 'theme-vision'],
    relation: 'participated',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2024-01-22',
  },
  {
    key: 'storm-stand-down',
    title: 'The night of the storm, Joe stood the crews down',
    body: `When the November storm hit, we lost power and lines across half the region. By evening there were more than two hundred faults open, including at two hospitals and a care home. Every instinct said send everyone out.

Joe stood the crews down at ten o'clock, with winds still above the limit, and said nobody would climb or go near a downed line until first light. Then he did something I had not seen before: he rang each of the hospitals and the care home himself, explained that his crews would be there at dawn, and talked their facilities managers through switching to the backup links we had installed for exactly this.

At five the next morning he was at the depot handing out coffee and the day's job sheets. Every critical site was back by noon. Nobody got hurt. Rosa sent his voicemail script to the whole company as an example of how to give customers bad news.`,
    leader: JOE,
    tellerDept: 'dept-noc',
    tellerRole: 'NOC shift lead',
    happenedIn: 'dept-repair',
    occurredOn: '2023-11-02',
    themes: ['theme-safety', 'theme-courage', 'theme-customer'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'broadcast',
    toldAt: '2023-12-06',
  },
  {
    key: 'coverage-map',
    title: 'My team lead backed me when I would not stretch the map',
    body: `I'm telling this anonymously because some of the people involved are still here. A large prospect wanted fibre at a business park we did not yet reach. Someone senior on the deal asked me to tell the customer it would be "available this year", when the build plan said eighteen months at best.

I said I wouldn't. My team lead, Amir, took me into a meeting room, asked me to show him the build plan, and then went with me to the deal owner and said that nobody on his team would put a date in front of a customer that engineering had not given us. We lost that deal. Nobody has asked me to do that again.`,
    leader: 'Amir Haddad, sales team lead',
    tellerDept: 'dept-sales',
    tellerRole: 'sales executive',
    happenedIn: 'dept-sales',
    occurredOn: '2024-03',
    themes: ['theme-courage'],
    relation: 'participated',
    anonymous: true,
    spread: 'quiet',
    toldAt: '2024-04-30',
  },
  {
    key: 'early-disclosure',
    title: 'Ines said we would tell them anyway',
    body: `A misconfigured report sent a spreadsheet of about sixty business customers' contact details to the wrong customer. It was caught within the hour and the other customer confirmed they had deleted it. Strictly speaking, under the rules as they were then, we probably did not have to notify anyone.

Ines's view was that "probably" was not good enough and that customers would rather hear it from us than from someone else. She drafted a short, honest letter to all sixty, signed by Rosa, within twenty-four hours, and sat in care the next morning to help answer the calls.

Only a handful called. Two said it was the first time a supplier had ever told them about a mistake before they found it themselves. Ines then ran a session for engineering and product on how the report had been built, without blaming the person who had built it.`,
    leader: INES,
    tellerDept: 'dept-eng',
    tellerRole: 'software engineer',
    happenedIn: 'dept-legal',
    occurredOn: '2024-06',
    themes: ['theme-mistakes', 'theme-customer', 'theme-courage'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'word-of-mouth',
    toldAt: '2024-08-12',
  },
  {
    key: 'christmas-eve-freeze',
    title: 'No change goes out on Christmas Eve',
    body: `Sales had promised a customer a new routing feature "before Christmas", and by the twenty-third it was ready but only half tested. The pressure to push it on the twenty-fourth was enormous, including an email from a director.

Kwame replied to everyone: the change freeze exists for exactly this week, because the people who would have to fix it are the ones with the fewest staff and the most customers relying on us. He then rang the customer himself, explained, and offered a date in the first week of January. The customer said fine.

It went out on the third of January with one bug, which our testing caught on the second. If it had gone out on Christmas Eve, the NOC would have found it instead.`,
    leader: KWAME,
    tellerDept: 'dept-eng',
    tellerRole: 'release engineer',
    happenedIn: 'dept-eng',
    occurredOn: '2024-12-23',
    themes: ['theme-safety', 'theme-courage'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'local',
    toldAt: '2025-01-14',
  },
  {
    key: 'reorg-reversed',
    title: 'The reorganisation she undid',
    body: `Early in 2025 we were reorganised so that care reported into sales. On paper it made sense. In practice agents were being measured on upgrades sold during fault calls, and customers noticed.

What I want on record is what happened next. After four months Rosa came to a care team meeting, said the change had been her decision and it was wrong, and that it would be reversed by the end of the month. She did not blame the sales leadership or the consultants who proposed it. It was reversed. I am anonymous because I was one of the people who complained loudest, and I would rather this be about her than about me.`,
    leader: ROSA,
    tellerDept: 'dept-care',
    tellerRole: 'senior customer care agent',
    happenedIn: 'dept-care',
    occurredOn: '2025-06',
    themes: ['theme-mistakes'],
    relation: 'participated',
    anonymous: true,
    spread: 'quiet',
    toldAt: '2025-07-28',
  },
  {
    key: 'vans-and-harnesses',
    title: 'Cheaper vans, better harnesses',
    body: `When the van fleet came up for renewal Tomasz went through every line of the proposal with Joe and two of us from the depots. He cut the spec on the vans hard: no leather seats, no built-in navigation, a cheaper model with the same load space.

Then he asked what we would change about our safety kit if money were no object. We said better harnesses, insulated ladders for every van instead of one per depot, and a second gas detector for pit work. He put all of it in, and the total still came in under the old fleet budget.

He told us the vans were a cost and the harnesses were not.`,
    leader: TOMASZ,
    tellerDept: 'dept-repair',
    tellerRole: 'depot supervisor',
    happenedIn: 'dept-finance',
    occurredOn: '2025-09',
    themes: ['theme-frugal', 'theme-safety'],
    relation: 'participated',
    anonymous: false,
    spread: 'local',
    toldAt: '2025-10-21',
  },
  {
    key: 'ten-year-letter',
    title: 'Ten years on: the letter that started with a complaint',
    body: `For our tenth anniversary Rosa sent a letter to every employee, on paper, to their homes. I expected a list of achievements. Instead it opened with the story of the hospital CIO who shouted at Marta at the first open house, and the phone number Marta gave him.

Rosa wrote that she had heard the story in her first week from a repair tech, again from a NOC engineer, and a third time from a customer, and that each version was slightly different but the point was always the same. She said that was what a culture is: the stories people keep telling when no one asks them to.

Then she asked each of us to tell one of our own in this archive. That is partly why I am writing this. The letter ended with the sentence from the back of the first network diagram, and the names of everyone who had worked here for ten years. There were eleven.`,
    leader: ROSA,
    tellerDept: 'dept-people',
    tellerRole: 'people and culture partner',
    happenedIn: 'dept-exec',
    occurredOn: '2026-02',
    themes: ['theme-vision'],
    relation: 'witnessed',
    anonymous: false,
    spread: 'broadcast',
    toldAt: '2026-03-02',
  },
  {
    key: 'customer-council',
    title: 'Ravi invited the angriest customers',
    body: `When we were planning next year's product roadmap, Ravi asked care for the names of the three business customers who had complained most that year. Then he invited them to the roadmap review, paid for their travel, and let them speak first.

It was uncomfortable. One of them spent twenty minutes on our billing. Ravi took notes, did not argue, and at the end moved two billing fixes above a feature he had been pushing for months. He sent each of them the revised roadmap afterwards with their points marked.`,
    leader: RAVI,
    tellerDept: 'dept-product',
    tellerRole: 'product manager',
    happenedIn: 'dept-product',
    occurredOn: '2025-05',
    themes: ['theme-customer'],
    relation: 'participated',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2026-10-24',
  },
  {
    key: 'every-callback',
    title: 'Mateo called back every one of them',
    body: `After the September outage in the east of the region, about four hundred customers had called us. Mateo had only been a team lead for a few months. He split the list across the team, took the longest share himself, and we called every single one of them back once service was restored, to check it was really working and to apologise properly.

Some were surprised to get a call at all. A few had still not got service back because their own equipment needed resetting, and we fixed that on the call. Mateo kept a tally on the whiteboard and did not go home until his part of the list was done.`,
    leader: 'Mateo Ruiz, customer care team lead',
    tellerDept: 'dept-care',
    tellerRole: 'customer care agent',
    happenedIn: 'dept-care',
    occurredOn: '2026-09',
    themes: ['theme-customer', 'theme-serve'],
    relation: 'participated',
    anonymous: false,
    spread: 'local',
    toldAt: '2026-11-03',
  },
  {
    key: 'incident-handover',
    title: 'Dana handed me the incident and stayed quiet',
    body: `Last month we had a major incident on the mobile backhaul, the kind Dana has run a hundred times. About twenty minutes in she asked if I wanted to be incident lead. I said yes before I could think about it.

She stayed in the room the whole time, on mute, and only wrote to me twice in the chat: once to remind me to update the status page, once to say "good call" when I decided to roll back. At the review she let me present the timeline and answered only the questions I passed to her. I will be doing the same for someone else one day.`,
    leader: 'Dana Whitfield, NOC shift lead',
    tellerDept: 'dept-noc',
    tellerRole: 'NOC engineer',
    happenedIn: 'dept-noc',
    occurredOn: '2026-10',
    themes: ['theme-growing'],
    relation: 'participated',
    anonymous: false,
    spread: 'quiet',
    toldAt: '2026-11-12',
  },
];
