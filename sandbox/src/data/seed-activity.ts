/** Tasks, notes, appointments, campaigns, sent emails and files around the seeded contacts. */
import { DAY_MS } from './dates.js';
import type {
  AppointmentRecord,
  CampaignRecord,
  EmailRecord,
  FileRecord,
  NoteRecord,
  NoteType,
  TaskRecord,
} from './models-crm.js';
import type { ContactRecord } from './models.js';
import { createRandom } from './random.js';
import { numberByDate, pastTime, timeBetween, type SeedInput } from './seed-support.js';

const TASK_TITLES = ['Call back', 'Send proposal', 'Check in', 'Book a demo', 'Renewal reminder'];
const NOTE_TYPES: readonly NoteType[] = ['Call', 'Email', 'Appointment', 'Other', 'Letter'];

export function seedTasks(input: SeedInput, contacts: readonly ContactRecord[]): TaskRecord[] {
  const random = createRandom(input.seed, 'tasks');
  const rows = Array.from({ length: 60 }, (): TaskRecord => {
    const contact = random.pick(contacts);
    const created = pastTime(random, input.anchor, 90);
    const completed = random.chance(0.4);
    const modified = timeBetween(random, created, input.anchor);
    return {
      id: 0,
      title: `${random.pick(TASK_TITLES)}: ${contact.given_name ?? 'contact'}`,
      description: random.chance(0.5) ? 'Discuss the next steps.' : null,
      type: random.pick(['Call', 'Email', 'Appointment', 'Other']),
      priority: random.chance(0.7) ? random.int(1, 3) : null,
      completed,
      completion_date: completed ? modified : null,
      due_date: random.chance(0.8) ? created + random.int(1, 30) * DAY_MS : null,
      remind_time: random.chance(0.3) ? random.pick([5, 15, 60]) : null,
      url: null,
      user_id: random.int(1, 2),
      contact_id: contact.id,
      creation_date: created,
      modification_date: completed || random.chance(0.3) ? modified : created,
    };
  });
  return numberByDate(rows, (row) => row.creation_date);
}

export function seedNotes(input: SeedInput, contacts: readonly ContactRecord[]): NoteRecord[] {
  const random = createRandom(input.seed, 'notes');
  const rows = Array.from({ length: 60 }, (): NoteRecord => {
    const created = pastTime(random, input.anchor, 90);
    const user = random.chance(0.9) ? random.int(1, 2) : null;
    return {
      id: 0,
      title: random.pick(['Intro call', 'Pricing question', 'Left voicemail', 'Met at event']),
      body: random.chance(0.8) ? 'Interested in the Pro plan; wants a quote by Friday.' : null,
      type: random.chance(0.9) ? random.pick(NOTE_TYPES) : null,
      contact_id: random.pick(contacts).id,
      user_id: user,
      last_updated_by: user,
      date_created: created,
      last_updated: random.chance(0.3) ? timeBetween(random, created, input.anchor) : created,
    };
  });
  return numberByDate(rows, (row) => row.date_created);
}

export function seedAppointments(
  input: SeedInput,
  contacts: readonly ContactRecord[],
): AppointmentRecord[] {
  const random = createRandom(input.seed, 'appointments');
  const rows = Array.from({ length: 20 }, (): AppointmentRecord => {
    // Appointments sit both in the past and in the coming month.
    const start = pastTime(random, input.anchor + 30 * DAY_MS, 90);
    return {
      id: 0,
      title: random.pick(['Discovery call', 'Onboarding', 'Quarterly review']),
      description: random.chance(0.5) ? 'Video call' : null,
      location: random.chance(0.4) ? 'Office' : null,
      start_date: start,
      end_date: start + random.pick([30, 60]) * 60_000,
      remind_time: random.chance(0.5) ? 15 : null,
      contact_id: random.pick(contacts).id,
      user: random.int(1, 2),
    };
  });
  return numberByDate(rows, (row) => row.start_date);
}

export function seedCampaigns(input: SeedInput, contacts: readonly ContactRecord[]) {
  const random = createRandom(input.seed, 'campaigns');
  const names = ['Welcome Series', 'Spring Promotion', 'Win-back'];
  return names.map((name, index): CampaignRecord => {
    const created = pastTime(random, input.anchor - 90 * DAY_MS, 200);
    const members = contacts.filter(() => random.chance(0.1)).map((contact) => contact.id);
    return {
      id: index + 1,
      name,
      locked: false,
      published_status: index !== 2,
      published_date: index !== 2 ? created + DAY_MS : null,
      published_time_zone: 'America/Phoenix',
      time_zone: 'America/Phoenix',
      active_contact_count: members.length,
      completed_contact_count: random.int(0, 40),
      created_by_global_id: 90_001,
      error_message: null,
      date_created: created,
      goals: [{ id: index * 10 + 1, name: 'Joined list', type: 'Tag' }],
      sequences: [{ id: index * 10 + 2, name: `${name} emails`, contact_ids: members }],
    };
  });
}

export function seedEmails(input: SeedInput, contacts: readonly ContactRecord[]): EmailRecord[] {
  const random = createRandom(input.seed, 'emails');
  const reachable = contacts.filter((contact) => contact.email_addresses.length > 0);
  const rows = Array.from({ length: 120 }, (): EmailRecord => {
    const contact = random.pick(reachable);
    const sent = pastTime(random, input.anchor, 90);
    const opened = random.chance(0.5) ? timeBetween(random, sent, input.anchor) : null;
    return {
      id: 0,
      contact_id: contact.id,
      subject: random.pick(['Welcome!', 'Your order', 'Spring offer', 'We miss you']),
      headers: null,
      sent_from_address: 'news@ab123.example',
      sent_from_reply_address: 'support@ab123.example',
      sent_to_address: contact.email_addresses[0]?.email ?? '',
      sent_to_cc_addresses: null,
      sent_to_bcc_addresses: null,
      sent_date: sent,
      received_date: sent,
      opened_date: opened,
      clicked_date: opened !== null && random.chance(0.3) ? opened : null,
      original_provider: 'INFUSIONSOFT',
      original_provider_id: null,
      provider_source_id: null,
      html_content: '<p>Hello from Keap.</p>',
      plain_content: 'Hello from Keap.',
    };
  });
  return numberByDate(rows, (row) => row.sent_date);
}

export function seedFiles(input: SeedInput, contacts: readonly ContactRecord[]): FileRecord[] {
  const random = createRandom(input.seed, 'files');
  const rows = Array.from({ length: 10 }, (_, index): FileRecord => {
    const created = pastTime(random, input.anchor, 90);
    const text = `Sandbox file ${index + 1}\n`;
    return {
      id: 0,
      file_name: `document-${index + 1}.txt`,
      file_box_type: 'Contact',
      category: 'Documents',
      contact_id: random.pick(contacts).id,
      created_by: 1,
      public: random.chance(0.3),
      remote_file_key: null,
      file_data: Buffer.from(text).toString('base64'),
      date_created: created,
      last_updated: created,
    };
  });
  return numberByDate(rows, (row) => row.date_created);
}
