/** The smallest valid body of `POST /cases`: a worker's own walk-in complaint of unpaid wages in Malaysia. */
export const caseIntake = (areaCode: string, name: string, complaint = 'gaji') => ({
  areaCode,
  channel: 'walk_in',
  categories: ['unpaid_wages'],
  worker: { name },
  relationship: 'self',
  destinationCountry: 'MY',
  complaint,
});
