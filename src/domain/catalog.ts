import type { Behaviour } from './types.js';

const b = (key: string, group: string, name: string, description: string): Behaviour => ({
  key, group, name, description, weight: 1, active: true,
});

const CUSTOMER_FIRST = 'Make the Customer #1';
const ATTITUDE = 'Appropriate Attitude';
const NEEDS = 'Determine Customer Needs';
const RELATIONSHIPS = 'Build Relationships';
const RESOLUTION = 'Effective Problem Resolution';

/** The default catalog, seeded on first start from the five groups in DOMAIN.md. */
export const DEFAULT_CATALOG: readonly Behaviour[] = [
  b('positive-first-contact', CUSTOMER_FIRST, 'Positive initial contact', 'Opened the conversation warmly and set a good tone from the first moment.'),
  b('establish-rapport', CUSTOMER_FIRST, 'Establish rapport', 'Found common ground quickly so the customer felt at ease.'),
  b('no-waiting', CUSTOMER_FIRST, "Don't keep customers waiting", 'Answered promptly and kept people informed instead of leaving them in a queue.'),
  b('no-rushing', CUSTOMER_FIRST, "Don't rush customers", 'Gave the customer the time they needed, without hurrying them along.'),
  b('thank-customers', CUSTOMER_FIRST, 'Thank customers', 'Said a genuine thank-you for the customer\'s time and business.'),
  b('invite-return', CUSTOMER_FIRST, 'Encourage the customer to return', 'Left the door open so the customer wants to come back.'),
  b('make-special', CUSTOMER_FIRST, 'Make customers feel special', 'Treated the customer as a person, not a ticket number.'),
  b('respect-customer', ATTITUDE, 'Respect the customer', 'Showed courtesy and respect, even when it was hard.'),
  b('positive-communication', ATTITUDE, 'Keep communication positive', 'Framed the message around what can be done rather than what cannot.'),
  b('professionalism', ATTITUDE, 'Professionalism', 'Was reliable, composed and well prepared.'),
  b('ask-until-clear', NEEDS, 'Ask until you understand', 'Kept asking questions until the real request was clear.'),
  b('direct-questions', NEEDS, 'Positive, direct questions', 'Asked clear, positively worded questions that moved things forward.'),
  b('active-listening', NEEDS, 'Active listening', 'Listened fully and played back what they heard before acting.'),
  b('ask-how-to-serve', NEEDS, 'Ask how to serve better', 'Asked the customer how we could serve them better next time.'),
  b('be-fair', RELATIONSHIPS, 'Be fair', 'Treated every customer evenly and explained decisions openly.'),
  b('keep-your-word', RELATIONSHIPS, 'Keep your word', 'Did what they promised, when they promised it.'),
  b('peace-of-mind', RELATIONSHIPS, 'Provide peace of mind', 'Removed worry by following through and confirming outcomes.'),
  b('seek-opportunities', RELATIONSHIPS, 'Seek service opportunities', 'Spotted a chance to help before the customer had to ask.'),
  b('know-the-products', RELATIONSHIPS, 'Know our products and services', 'Used deep product knowledge to give the right answer first time.'),
  b('admit-errors', RELATIONSHIPS, 'Admit errors and gaps', 'Owned up to a mistake or to not knowing, then found out.'),
  b('empathize', RESOLUTION, 'Empathize', 'Acknowledged how the customer felt before solving the problem.'),
  b('apologize', RESOLUTION, 'Apologize', 'Offered a sincere apology without excuses.'),
  b('take-ownership', RESOLUTION, 'Take ownership', 'Made the problem theirs and saw it through to the end.'),
  b('timely-response', RESOLUTION, 'Respond in a timely manner', 'Got back to the customer quickly with a real update.'),
  b('win-win', RESOLUTION, 'Negotiate a win-win', 'Found a solution that worked for the customer and for us.'),
  b('not-personal', RESOLUTION, "Don't take complaints personally", 'Stayed calm and constructive when the customer was upset.'),
  b('learn-from-problems', RESOLUTION, 'Treat problems as lessons', 'Turned a complaint into an improvement for the next customer.'),
];
