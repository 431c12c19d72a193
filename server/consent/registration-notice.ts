/**
 * What every registration is told, new or not: whether an e-mail has an account, or a person is
 * already registered, is nobody's business but theirs, so the answer (and the page after it) is the
 * same either way. The person signs in next: with the new account if the details were new, with
 * the one they made before otherwise.
 */
export const REGISTRATION_RECEIVED =
  "Thank you. If these details were not registered before, your registration is recorded: sign in with the e-mail and password you chose. If you registered before, nothing was changed: sign in with the account you made then.";
