/** next-auth error codes (or the server's own message) turned into what the person should read. */
export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  switch (code) {
    case "CredentialsSignin":
      return "Wrong email or password";
    case "SsoEmailMissing":
      return "Your identity provider did not share a verified email address, so Tally cannot sign you in.";
    case "SsoEmailUnverified":
      return "Your identity provider did not confirm that your email address is verified, so Tally cannot sign you in with it. Ask your identity provider's administrator to verify it.";
    case "SsoAccountUnverified":
      return "A Tally account with your email address already exists, but its email was never verified, so single sign-on cannot enter it. Sign in with that account's password, or ask an administrator to verify or remove it.";
    case "SsoSignupClosed":
      return "There is no Tally account for your email address and sign-up is not open. Ask an administrator for an invite.";
    case "OAuthSignin":
    case "OAuthCallback":
    case "OAuthCreateAccount":
    case "Callback":
      return "Single sign-on failed. Please try again.";
    case "OAuthAccountNotLinked":
      return "That email address is already linked to another sign-in method.";
    case "AccessDenied":
      return "Access denied.";
    case "SessionRequired":
      return "Please sign in to continue.";
    case "Configuration":
    case "Default":
      return "Sign-in is not available right now. Please try again later.";
    default:
      // Messages the server threw on purpose (for example the sign-in throttle) are already readable.
      return code;
  }
}
