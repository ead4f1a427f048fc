import type { EmailMessage } from "./mailer";

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

function layout(title: string, body: string, action: { label: string; url: string }, footer: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;background:#f6f7f9;padding:24px">
<div style="max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:24px">
<h1 style="font-size:18px;margin:0 0 12px">${escapeHtml(title)}</h1>
<p style="font-size:14px;line-height:1.5;color:#333">${body}</p>
<p><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#111;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>
<p style="font-size:12px;color:#666">${escapeHtml(footer)}</p>
</div></body></html>`;
}

export function invitationEmail(to: string, p: { orgName: string; inviterName: string; role: string; url: string }): EmailMessage {
  const subject = `${p.inviterName} invited you to ${p.orgName} on Tapline`;
  const footer = "The link expires in 7 days. If you did not expect this invitation, ignore this email.";
  return {
    to,
    subject,
    text: `${p.inviterName} invited you to join ${p.orgName} on Tapline as ${p.role}.\n\nAccept: ${p.url}\n\n${footer}\n`,
    html: layout(subject, `${escapeHtml(p.inviterName)} invited you to join <b>${escapeHtml(p.orgName)}</b> on Tapline as ${escapeHtml(p.role)}.`, { label: "Accept invitation", url: p.url }, footer),
  };
}

export function passwordResetEmail(to: string, p: { url: string; validMinutes: number }): EmailMessage {
  const subject = "Reset your Tapline password";
  const footer = `The link works once and expires in ${p.validMinutes} minutes. If you did not ask for it, ignore this email: your password is unchanged.`;
  return {
    to,
    subject,
    text: `Someone (hopefully you) asked to reset the password of your Tapline account.\n\nChoose a new password: ${p.url}\n\n${footer}\n`,
    html: layout(subject, "Someone (hopefully you) asked to reset the password of your Tapline account.", { label: "Choose a new password", url: p.url }, footer),
  };
}
