// A chosen file over the size limit is refused here, before anything is sent, so the form keeps
// what was typed: the server can only refuse a request that large as a whole (its "file is too
// large" page), losing the description. The limit comes from the page (data-max-bytes); without
// this script the server's own checks apply as before.
const MB = 1024 * 1024

function sizeText (bytes) {
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} bytes`
}

function problemWith (input) {
  const file = input.files && input.files[0]
  const max = Number(input.dataset.maxBytes)
  if (!file || !max || file.size <= max) return null
  const limit = input.dataset.maxSizeText
  const shown = sizeText(file.size)
  const size = shown === sizeText(max) ? `just over ${limit}` : shown
  return `The selected file must be ${limit} or smaller. This one is ${size}. Choose a smaller file`
}

function show (input, message) {
  const group = input.closest('.nhsuk-form-group')
  let error = document.getElementById(`${input.name}-size-error`)
  if (!message) {
    if (error) {
      error.remove()
      if (!group.querySelector('.nhsuk-error-message')) group.classList.remove('nhsuk-form-group--error')
    }
    return
  }
  if (!error) {
    error = document.createElement('span')
    error.className = 'nhsuk-error-message'
    error.id = `${input.name}-size-error`
    const place = input.closest('.nhsuk-file-upload__drop-zone') || input
    place.parentNode.insertBefore(error, place)
    const described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
    input.setAttribute('aria-describedby', described.concat(error.id).join(' '))
  }
  const hidden = document.createElement('span')
  hidden.className = 'nhsuk-u-visually-hidden'
  hidden.textContent = 'Error:'
  error.replaceChildren(hidden, ` ${message}`)
  group.classList.add('nhsuk-form-group--error')
}

function refuse (input, message) {
  show(input, message)
  if (!document.title.startsWith('Error: ')) document.title = `Error: ${document.title}`
  const group = input.closest('.nhsuk-form-group')
  const control = input.offsetParent ? input : group.querySelector('button')
  group.scrollIntoView()
  if (control) control.focus()
}

document.querySelectorAll('input[type="file"][data-max-bytes]').forEach((input) => {
  input.addEventListener('change', () => show(input, problemWith(input)))
  // A refused press of the submit button is stopped before the button sees it: the NHS.UK
  // button ignores a second press within a second of the first (its double-click guard), and
  // someone who chooses a smaller file at once must not find their next press ignored.
  input.form.addEventListener('click', (event) => {
    const button = event.target.closest('button[type="submit"], input[type="submit"]')
    if (!button || button.form !== input.form) return
    const message = problemWith(input)
    if (!message) return
    event.preventDefault()
    event.stopPropagation()
    refuse(input, message)
  }, true)
  input.form.addEventListener('submit', (event) => {
    const message = problemWith(input)
    show(input, message)
    if (!message) return
    event.preventDefault()
    refuse(input, message)
  })
})
