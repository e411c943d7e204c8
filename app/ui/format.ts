// Dates are stored in UTC and formatted in UTC on the server, so the first render is the
// same with or without JavaScript and hydration never disagrees.

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

export function formatDate(value: Date | string): string {
  return dateFormat.format(new Date(value));
}
