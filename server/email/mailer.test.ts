import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { SmtpMailer } from "./mailer";
import { invitationEmail, passwordResetEmail } from "./templates";
import { decodeQuotedPrintable, startSmtpCapture, type SmtpCapture } from "./testing/smtp-capture";

let smtp: SmtpCapture;
before(async () => {
  smtp = await startSmtpCapture();
});
after(async () => {
  await smtp.close();
});

test("invitation and reset emails go out over SMTP with the link in text and HTML", async () => {
  const mailer = new SmtpMailer(smtp.url, "Tapline <no-reply@tapline.test>");
  await mailer.send(invitationEmail("new@example.com", { orgName: "Acme <Ops>", inviterName: "Ada", role: "member", url: "http://localhost:3000/invite/tok" }));
  const invite = await smtp.next();
  assert.deepEqual(invite.to, ["new@example.com"]);
  assert.equal(invite.from, "no-reply@tapline.test");
  const body = decodeQuotedPrintable(invite.raw);
  assert.match(body, /Subject: Ada invited you to Acme <Ops> on Tapline/);
  assert.ok(body.includes("http://localhost:3000/invite/tok"));
  assert.ok(body.includes("Acme &lt;Ops&gt;"), "HTML is escaped");

  await mailer.send(passwordResetEmail("ada@example.com", { url: "http://localhost:3000/reset/abc", validMinutes: 30 }));
  const reset = decodeQuotedPrintable((await smtp.next()).raw);
  assert.ok(reset.includes("http://localhost:3000/reset/abc"));
  assert.match(reset, /expires in 30 minutes/);
});
