/**
 * Outgoing email through SMTP_URL (nodemailer). When SMTP is not configured, features that need
 * email say so (password reset, magic links) or fall back (invitations return their link).
 */
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../env";

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(message: EmailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...message });
  }
}

const g = globalThis as { __taplineMailer?: Mailer | null };

/** The configured mailer, or null when SMTP_URL is unset. */
export function mailer(): Mailer | null {
  if (g.__taplineMailer === undefined) {
    const e = env();
    g.__taplineMailer = e.SMTP_URL ? new SmtpMailer(e.SMTP_URL, e.EMAIL_FROM) : null;
  }
  return g.__taplineMailer;
}

/** Replace the mailer (tests capture messages; null disables email). */
export function setMailer(m: Mailer | null): void {
  g.__taplineMailer = m;
}

export function emailEnabled(): boolean {
  return mailer() !== null;
}
