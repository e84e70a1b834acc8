//! The one place that may ask the user anything, and that knows when it must not.

use crate::error;
use crate::secret::Secret;
use anyhow::Result;
use std::io::IsTerminal;

#[derive(Clone)]
pub struct Prompter {
    /// Why prompting is forbidden, if it is.
    forbidden: Option<&'static str>,
}

impl Prompter {
    pub fn new(no_input: bool) -> Prompter {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        let forbidden = if no_input {
            Some("--no-input was given")
        } else if ci {
            Some("CI=true forbids prompts")
        } else if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            Some("there is no terminal to ask on")
        } else {
            None
        };
        Prompter { forbidden }
    }

    fn check(&self, what: &str, instead: &str) -> Result<()> {
        match self.forbidden {
            Some(why) => Err(error::usage(format!("{what}, but {why}; {instead}"))),
            None => Ok(()),
        }
    }

    /// Asks for a secret without echoing it.
    pub fn secret(&self, label: &str, what: &str, instead: &str) -> Result<Secret> {
        self.check(what, instead)?;
        let value = dialoguer::Password::new()
            .with_prompt(label)
            .allow_empty_password(true)
            .validate_with(|v: &String| {
                if v.trim().is_empty() {
                    Err("nothing was typed (Ctrl-C to give up)")
                } else {
                    Ok(())
                }
            })
            .interact()
            .map_err(|e| error::usage(format!("{what}: prompt failed: {e}")))?;
        Ok(Secret::new(value))
    }

    /// Asks a yes/no question; no means no.
    pub fn confirm(&self, question: &str, what: &str, instead: &str) -> Result<bool> {
        self.check(what, instead)?;
        // Enter ends the answer: a typed "yes" is read whole, never half
        // taken by the prompt and half left to the shell.
        dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .wait_for_newline(true)
            .interact()
            .map_err(|e| error::usage(format!("{what}: prompt failed: {e}")))
    }
}
