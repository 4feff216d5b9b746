// The intake form's guidance follows the answers as they are given: only the chosen route's
// guidance is shown, and the notes for an urgent concern, a formal complaint or someone acting
// for the patient appear when they apply. Without this script every route's guidance is shown.
// The guidance is on the page twice (beside the form, and before its button on a phone).
const asides = document.querySelectorAll('[data-guidance-stage="intake"]')

function checkedValue (name) {
  const checked = document.querySelector(`input[name="${name}"]:checked`)
  return checked ? checked.value : null
}

const noteApplies = {
  urgent: () => checkedValue('urgent') === 'yes',
  formal_complaint: () => checkedValue('formal_complaint') === 'yes',
  representative: () => {
    const input = document.querySelector('input[name="representative_name"]')
    return Boolean(input && input.value.trim())
  }
}

function update () {
  asides.forEach(updateGuidance)
}

function updateGuidance (aside) {
  const route = checkedValue('route_requested')
  aside.querySelectorAll('[data-guidance-route]').forEach((section) => {
    section.hidden = route !== null && section.dataset.guidanceRoute !== route
  })
  const hint = aside.querySelector('[data-guidance-routes-hint]')
  if (hint) hint.hidden = route !== null
  aside.querySelectorAll('[data-guidance-note]').forEach((note) => {
    const applies = noteApplies[note.dataset.guidanceNote]
    if (applies) note.hidden = !applies()
  })
}

if (asides.length) {
  document.addEventListener('change', update)
  document.addEventListener('input', (event) => {
    if (event.target.name === 'representative_name') update()
  })
  update()
}
