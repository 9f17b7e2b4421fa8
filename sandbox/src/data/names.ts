/** Word lists for the seed generator. Invented data; any resemblance is coincidental. */

export const GIVEN_NAMES = [
  'Ada', 'Bruno', 'Carmen', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hiro', 'Imani', 'Jonas',
  'Keiko', 'Luis', 'Maren', 'Nadia', 'Oskar', 'Priya', 'Quinn', 'Rosa', 'Samir', 'Tessa',
  'Uma', 'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Amara', 'Bastian', 'Clara', 'Dario',
] as const;

export const FAMILY_NAMES = [
  'Abbott', 'Barros', 'Castell', 'Dunmore', 'Eriksen', 'Fairley', 'Galvan', 'Hollis', 'Ibarra',
  'Jansen', 'Kowal', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quintero', 'Rhodes',
  'Sauer', 'Tanaka', 'Urquhart', 'Vance', 'Whitlock', 'Yilmaz', 'Zeller',
] as const;

export const MIDDLE_NAMES = ['J.', 'Marie', 'Lee', 'A.', 'Rose', 'T.'] as const;

export const EMAIL_DOMAINS = [
  'example.com', 'example.org', 'example.net', 'mail.example', 'inbox.example',
] as const;

export const COMPANY_WORDS = [
  'Northwind', 'Bluepeak', 'Cedar', 'Lumen', 'Harbor', 'Quarry', 'Silverline', 'Tidewater',
  'Orchard', 'Granite', 'Foxglove', 'Meridian', 'Kestrel', 'Juniper', 'Aster', 'Copperleaf',
  'Driftwood', 'Evergreen', 'Ironbark', 'Windmill',
] as const;

export const COMPANY_SUFFIXES = ['LLC', 'Inc.', 'Co.', 'Studio', 'Group', 'Partners'] as const;

export const JOB_TITLES = [
  'Owner', 'Office Manager', 'Marketing Lead', 'Bookkeeper', 'Sales Director', 'Consultant',
  'Operations Manager', 'Founder',
] as const;

export const STREETS = [
  'Maple Ave', 'Oak St', 'Pine Rd', 'Elm Ct', 'Birch Ln', 'Willow Way', 'Aspen Dr', 'Spruce Pl',
] as const;

/** City, region (as Keap stores it, the full name) and zip prefix. */
export const CITIES = [
  ['Phoenix', 'Arizona', '850'],
  ['Chandler', 'Arizona', '852'],
  ['Denver', 'Colorado', '802'],
  ['Austin', 'Texas', '787'],
  ['Portland', 'Oregon', '972'],
  ['Madison', 'Wisconsin', '537'],
  ['Raleigh', 'North Carolina', '276'],
  ['Boise', 'Idaho', '837'],
] as const;

export const TIME_ZONES = [
  'America/Phoenix', 'America/Denver', 'America/Chicago', 'America/New_York',
  'America/Los_Angeles',
] as const;

/** Product catalogue stems: name, short description, base price, shippable. */
export const PRODUCT_STEMS = [
  ['Coaching Session', 'One hour of one-to-one coaching', 150, false],
  ['Starter Kit', 'Everything needed to get going', 49, true],
  ['Recipe Book', 'Printed, 120 recipes', 29, true],
  ['Online Course', 'Self-paced video course', 199, false],
  ['Workshop Seat', 'One seat at a live workshop', 95, false],
  ['Branded Mug', 'Ceramic, 12 oz', 14, true],
  ['Tote Bag', 'Organic cotton', 18, true],
  ['Planner', 'Undated weekly planner', 24, true],
  ['Audit Package', 'Review of your current setup', 450, false],
  ['Gift Card', 'Redeemable for any product', 50, false],
] as const;

export const PRODUCT_VARIANTS = ['Basic', 'Plus', 'Pro'] as const;

export const SUBSCRIPTION_STEMS = [
  ['Membership', 'Monthly members area access', 29],
  ['Coffee Club', 'A bag of coffee every month', 22],
  ['Support Plan', 'Priority support', 99],
] as const;

export const TAG_NAMES = [
  ['Customer', 'Lifecycle'],
  ['Lead', 'Lifecycle'],
  ['VIP', 'Lifecycle'],
  ['Newsletter', 'Interests'],
  ['Webinar Attendee', 'Interests'],
  ['Workshop Alumni', 'Interests'],
  ['Coffee Lover', 'Interests'],
  ['Referral', 'Source'],
  ['Trade Show', 'Source'],
  ['Facebook Ad', 'Source'],
  ['Podcast', 'Source'],
  ['Partner', 'Source'],
] as const;
