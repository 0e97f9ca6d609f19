/* offstage: the signature pad, the size check of file fields before a form is sent, pictures shrunk to
   the field's `maximum image size`, and big files sent straight to S3 (a presigned POST).
   Written for offstage; no third-party code. Loaded (with the page's nonce) only on pages that have a
   file or signature field. */
(function () {
  "use strict";

  // --- signature pad: pointer strokes on a canvas, kept as a PNG data URL in the hidden input ---------
  function setUpPad(box) {
    var canvas = box.querySelector("canvas");
    var input = box.querySelector("input[type=hidden]");
    var clear = box.querySelector(".da-signature-clear");
    if (!canvas || !input) { return; }
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    context.lineWidth = 3;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = box.getAttribute("data-pen-color") || "#000";

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: (event.clientX - rect.left) * canvas.width / rect.width,
               y: (event.clientY - rect.top) * canvas.height / rect.height };
    }
    function keep() { input.value = drawn ? canvas.toDataURL("image/png") : ""; }

    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      context.beginPath();
      context.moveTo(p.x, p.y);
      context.lineTo(p.x + 0.1, p.y + 0.1);  // a dot for a tap
      context.stroke();
      drawn = true;
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      var p = point(event);
      context.lineTo(p.x, p.y);
      context.stroke();
      event.preventDefault();
    });
    function stop() { if (drawing) { drawing = false; if (typed) { typed.value = ""; } keep(); } }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.style.touchAction = "none";  // a finger draws instead of scrolling the page
    // WCAG 2.2 (2.5.7, 2.1.1): signing must not need a pointer. A name typed in the box next to the pad
    // is written on it in a handwriting face, and posted as the same PNG a drawing would be.
    var typed = box.querySelector(".da-signature-typed");
    function writeName() {
      context.clearRect(0, 0, canvas.width, canvas.height);
      var name = typed.value.trim();
      drawn = name.length > 0;
      if (drawn) {
        var size = 64;
        context.font = "italic " + size + "px 'Brush Script MT', 'Segoe Script', cursive, serif";
        while (size > 16 && context.measureText(name).width > canvas.width - 40) {
          size -= 4;
          context.font = "italic " + size + "px 'Brush Script MT', 'Segoe Script', cursive, serif";
        }
        context.fillStyle = context.strokeStyle;
        context.textBaseline = "middle";
        context.fillText(name, 20, canvas.height / 2);
      }
      keep();
    }
    if (typed) { typed.addEventListener("input", writeName); }
    if (clear) {
      clear.addEventListener("click", function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        if (typed) { typed.value = ""; }
        keep();
      });
    }
    if (input.value.indexOf("data:image/png;base64,") === 0) {  // shown again after a refused answer
      var image = new Image();
      image.onload = function () { context.drawImage(image, 0, 0); drawn = true; };
      image.src = input.value;
    }
  }

  // --- file fields: a file over the limit is named next to its field, and the form is not sent ------
  function megabytes(size) { return (size / 1000000).toFixed(1) + " MB"; }

  function showError(input, message) {
    var id = input.id + "-error";
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "da-error";
      box.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", box);
    }
    box.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
    var field = input.closest(".da-field");
    if (field) { field.classList.add("da-has-error"); }
  }

  function clearError(input) {  // only a message this script wrote: the server's stay until the next page
    var box = document.getElementById(input.id + "-error");
    if (box && box.getAttribute("data-client") === "1") {
      box.remove();
      input.removeAttribute("aria-invalid");
    }
  }

  function problemOf(input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;  // the direct uploads' when on
    var files = input.files || [];
    for (var i = 0; i < files.length; i += 1) {
      if (limit && files[i].size > limit) {
        return "The file " + files[i].name + " is too large (" + megabytes(files[i].size) +
          "); the limit is " + megabytes(limit) + " per file.";
      }
    }
    return null;
  }

  function checkForm(form) {
    var inputs = form.querySelectorAll("input[type=file][data-max-bytes]");
    var total = 0;
    var formLimit = 0;
    var first = null;
    inputs.forEach(function (input) {
      formLimit = parseInt(input.getAttribute("data-max-form-bytes"), 10) || formLimit;
      if (!goesDirect(input)) {  // files sent straight to S3 are not part of the form's body
        Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
      }
      var problem = problemOf(input);
      if (problem) {
        showError(input, problem);
        document.getElementById(input.id + "-error").setAttribute("data-client", "1");
        first = first || input;
      } else {
        clearError(input);
      }
    });
    if (!first && formLimit && total > formLimit && inputs.length) {
      first = inputs[inputs.length - 1];
      showError(first, "Together the files are too large (" + megabytes(total) + "); the limit is " +
        megabytes(formLimit) + " for one page.");
      document.getElementById(first.id + "-error").setAttribute("data-client", "1");
    }
    return first;
  }

  // --- before sending: pictures shrunk, big files sent straight to S3 ---------------------------------
  // `maximum image size` (and `image upload type`): a picture larger than the maximum is drawn smaller on a
  // canvas before it is sent, as docassemble's page does; the server shrinks what an old browser sends.
  var SHRINKABLE = /^image\/(jpeg|png|gif|webp|bmp)$/;

  function shrunk(file, most, wanted) {
    if (!SHRINKABLE.test(file.type) || !window.createImageBitmap) { return Promise.resolve(file); }
    return createImageBitmap(file).then(function (bitmap) {
      var type = wanted === "png" ? "image/png" : (wanted === "jpeg" || wanted === "jpg") ? "image/jpeg" :
        (file.type === "image/jpeg" ? "image/jpeg" : "image/png");
      var scale = Math.min(1, most / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && type === file.type) { return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }  // the server's own step then does it
          var name = type === file.type ? file.name :
            file.name.replace(/\.[^.]*$/, "") + (type === "image/png" ? ".png" : ".jpg");
          resolve(new File([blob], name, { type: type }));
        }, type, 0.9);
      });
    }, function () { return file; });  // a picture the browser cannot read: sent as it is
  }

  function shrinkPictures(input) {
    var most = parseInt(input.getAttribute("data-max-image-size"), 10) || 0;
    var files = Array.prototype.slice.call(input.files || []);
    if (!most || !files.length || !window.DataTransfer) { return Promise.resolve(); }
    return Promise.all(files.map(function (file) {
      return shrunk(file, most, input.getAttribute("data-image-type"));
    })).then(function (done) {
      if (done.every(function (file, i) { return file === files[i]; })) { return; }
      var chosen = new DataTransfer();
      done.forEach(function (file) { chosen.items.add(file); });
      input.files = chosen.files;
    });
  }

  // a file input one of whose files is over data-direct-over: all its files go straight to S3
  function goesDirect(input) {
    var over = parseInt(input.getAttribute("data-direct-over"), 10) || 0;
    return over > 0 && Array.prototype.some.call(input.files || [], function (file) { return file.size > over; });
  }

  function uploadUrl(form) {
    var url = new URL(form.getAttribute("action") || location.href, location.href);
    url.pathname = "/interview/upload";
    return url.toString();
  }

  // one file: a presigned POST from the app, then the file to S3 with it; resolves to the hidden reference
  function sendDirect(form, input, file) {
    var csrf = form.querySelector("input[name=_csrf]");
    return fetch(uploadUrl(form), {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ _csrf: csrf ? csrf.value : "", field: input.name, filename: file.name,
                             size: file.size, type: file.type })
    }).then(function (answer) {
      return answer.json().catch(function () { return { message: "The server answered " + answer.status + "." }; });
    }).then(function (signed) {
      if (!signed.url) { throw new Error(signed.message || "The file " + file.name + " could not be sent."); }
      var body = new FormData();
      Object.keys(signed.fields).forEach(function (name) { body.append(name, signed.fields[name]); });
      body.append("file", file);  // S3 reads the fields before the file: it comes last
      return fetch(signed.url, { method: "POST", body: body }).then(function (stored) {
        if (!stored.ok) {
          throw new Error("The file " + file.name + " could not be stored (" + stored.status + "); it may be too large.");
        }
        var reference = document.createElement("input");
        reference.type = "hidden";
        reference.name = "_upload";
        reference.value = JSON.stringify({ field: input.name, key: signed.key, filename: file.name });
        return reference;
      });
    }, function (failure) {
      throw failure instanceof Error ? failure : new Error("The file " + file.name + " could not be sent.");
    });
  }

  function sendInputDirect(form, input) {
    var files = Array.prototype.slice.call(input.files || []);
    var status = document.createElement("div");
    status.className = "da-upload-status form-text";
    status.setAttribute("role", "status");
    status.textContent = "Sending " + files.map(function (f) { return f.name; }).join(", ") + "\u2026";
    input.insertAdjacentElement("afterend", status);
    return Promise.all(files.map(function (file) { return sendDirect(form, input, file); }))
      .then(function (references) {
        references.forEach(function (reference) { form.appendChild(reference); });
        input.value = "";  // the form carries the references, not the bytes
        status.remove();
      }, function (failure) {
        status.remove();
        showError(input, failure.message);
        document.getElementById(input.id + "-error").setAttribute("data-client", "1");
        failure.input = input;
        throw failure;
      });
  }

  function prepare(form) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[type=file]"));
    return Promise.all(inputs.map(shrinkPictures)).then(function () {
      var wrong = checkForm(form);
      if (wrong) { var failure = new Error(""); failure.input = wrong; throw failure; }
      return Promise.all(inputs.filter(goesDirect).map(function (input) { return sendInputDirect(form, input); }));
    });
  }

  function needsPreparing(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return (input.files && input.files.length && input.getAttribute("data-max-image-size")) || goesDirect(input);
    });
  }

  function start() {
    document.querySelectorAll(".da-signature").forEach(setUpPad);
    var form = document.getElementById("daform");
    if (!form) { return; }
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") { checkForm(form); }
    });
    var preparing = false;
    var prepared = false;
    // in the capture phase, so that a form that is not sent is not counted as a request in flight
    form.addEventListener("submit", function (event) {
      if (prepared) { prepared = false; return; }  // sent again once its files are ready
      var by = event.submitter;
      if (by && by.name === "_back") { return; }
      if (!preparing && !needsPreparing(form)) {
        var wrong = checkForm(form);
        if (wrong) {
          event.preventDefault();
          event.stopImmediatePropagation();
          wrong.focus();
        }
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      if (preparing) { return; }  // a second click while the files are on their way
      preparing = true;
      prepare(form).then(function () {
        preparing = false;
        prepared = true;
        if (by && form.requestSubmit) { form.requestSubmit(by); } else if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }, function (failure) {
        preparing = false;
        if (failure.input) { failure.input.focus(); }
      });
    }, true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
