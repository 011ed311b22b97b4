// Passkeys in the browser (ADR 030). Loaded once by App.razor, as a file (the Content-Security-Policy allows no
// inline script). Two uses:
// - a static form with a button [data-passkey="request"] (sign-in, step-up): asks the browser for a passkey and posts
//   the answer in the form's hidden fields Passkey.CredentialJson (or Passkey.Error);
// - window.cashoutPasskeys.add(token) for the interactive security page: creates a passkey and hands it to the server.
// The listener is on the document, so forms that enhanced navigation swaps in work too.

const supported = typeof window.PublicKeyCredential === "function"
    && typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function"
    && typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";

async function post(url, token, body) {
    const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "RequestVerificationToken": token, "Content-Type": "application/json" },
        body,
    });
    if (!response.ok && response.headers.get("Content-Type")?.includes("application/json") !== true) {
        throw new Error(`The portal answered ${response.status}. Reload the page and try again.`);
    }
    return response;
}

function explain(error) {
    if (error.name === "NotAllowedError" || error.name === "AbortError") {
        return "No passkey was used: the request was cancelled or timed out.";
    }
    if (error.name === "InvalidStateError") {
        return "This device already holds a passkey for your account.";
    }
    if (error.name === "SecurityError") {
        return `Passkeys need the portal's host name, not an IP address: open it at ${location.protocol}//localhost${location.port ? ":" + location.port : ""} or its public name.`;
    }
    return error.message || "The passkey could not be used.";
}

async function requestPasskey(form) {
    const token = form.querySelector("input[name='__RequestVerificationToken']").value;
    const credentialField = form.querySelector("input[name='Passkey.CredentialJson']");
    const errorField = form.querySelector("input[name='Passkey.Error']");
    try {
        if (!supported) {
            throw new Error("This browser cannot use passkeys. Sign in with your password, or update the browser.");
        }
        const options = await (await post("Account/PasskeyRequestOptions", token)).json();
        const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        credentialField.value = JSON.stringify(credential);
    } catch (error) {
        errorField.value = explain(error);
    }
    form.submit();
}

document.addEventListener("click", event => {
    const button = event.target instanceof Element ? event.target.closest("button[data-passkey='request']") : null;
    if (button?.form) {
        event.preventDefault();
        button.disabled = true;
        requestPasskey(button.form).finally(() => { button.disabled = false; });
    }
});

// Creates a passkey for the signed-in person; resolves to { ok, message, code } as the server or the browser said.
async function add(token) {
    try {
        if (!supported) {
            return { ok: false, message: "This browser cannot create passkeys. Update it, or use another device.", code: "unsupported" };
        }
        const options = await (await post("Account/PasskeyCreationOptions", token)).json();
        const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
        return await (await post("Account/Passkeys", token, JSON.stringify(credential))).json();
    } catch (error) {
        return { ok: false, message: explain(error), code: error.name };
    }
}

window.cashoutPasskeys = { add, supported };
