/* offstage: the signature pad and the size check of file fields before a form is sent.
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
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
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
      Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
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

  function start() {
    document.querySelectorAll(".da-signature").forEach(setUpPad);
    var form = document.getElementById("daform");
    if (!form) { return; }
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") { checkForm(form); }
    });
    // in the capture phase, so that a form that is not sent is not counted as a request in flight
    form.addEventListener("submit", function (event) {
      var wrong = checkForm(form);
      if (wrong) {
        event.preventDefault();
        event.stopImmediatePropagation();
        wrong.focus();
      }
    }, true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
