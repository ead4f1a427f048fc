/** Cookie naming the organization the user opened last; `/` goes there. Not a secret: membership is checked on every page. */
export const LAST_ORG_COOKIE = "tapline-last-org";
