// Starts GOV.UK Frontend's components. Every page works without JavaScript; this only enhances.
import { initAll } from '../build/govuk-frontend.min.js'

initAll()

// The idle warning on staff pages (GOV.UK timeout warning pattern). The server ends a session after the
// idle limit whatever happens here; this only warns two minutes before, and lets the officer stay.
function initSessionTimeout (dialog) {
  const idleSeconds = Number(dialog.dataset.idleSeconds)
  const warningSeconds = Number(dialog.dataset.warningSeconds)
  if (!idleSeconds || typeof dialog.showModal !== 'function') return
  let warnTimer, endTimer, returnFocusTo

  function schedule () {
    clearTimeout(warnTimer)
    clearTimeout(endTimer)
    warnTimer = setTimeout(warn, Math.max(idleSeconds - warningSeconds, 0) * 1000)
    // Just after the limit: reload (as a GET), and the server shows the sign-in page saying why.
    endTimer = setTimeout(() => window.location.assign(window.location.href), (idleSeconds + 1) * 1000)
  }

  function warn () {
    returnFocusTo = document.activeElement
    dialog.showModal()
    dialog.querySelector('[data-session-action="stay"]').focus()
  }

  async function stay () {
    const response = await fetch(dialog.dataset.keepAliveUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRFToken': dialog.dataset.csrfToken },
      redirect: 'manual'
    })
    if (response.status !== 204) {
      window.location.assign(window.location.href)
      return
    }
    dialog.close()
    if (returnFocusTo && typeof returnFocusTo.focus === 'function') returnFocusTo.focus()
    schedule()
  }

  dialog.querySelector('[data-session-action="stay"]').addEventListener('click', stay)
  // Escape means "stay signed in", not "ignore the warning".
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    stay()
  })
  schedule()
}

const sessionTimeout = document.getElementById('session-timeout')
if (sessionTimeout) initSessionTimeout(sessionTimeout)
