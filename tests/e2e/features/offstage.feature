Feature: offstage's own scenarios, beside docassemble's

  # docassemble comments this one out upstream because its runner cannot accept the alert; ours can.
  Scenario: Test the interview "Return a value and run Javascript"
    Given I start the interview "docassemble.base:data/questions/examples/background_action_javascript.yml"
    Then I should see the phrase "How much shall I add to 553?"
    And I set "Number" to "2"
    And I click the button "Continue"
    Then I should see the phrase "Your answer will appear shortly."
    And I wait 12 seconds
    And I click accept in the alert
    Then I should have seen the alert "The answer is 555."
    And I click the button "Continue"
    Then I should see the phrase "All done."
    And I should see the phrase "The answer is 555."

  # The "I reload the screen" step on a `reload: True` screen whose `initial` block counts the views.
  Scenario: Test the interview "Auto reload" counts a reload
    Given I start the interview "docassemble.base:data/questions/examples/reload.yml"
    Then I should see the phrase "You have viewed this screen 1 time."
    And I reload the screen
    Then I should see the phrase "You have viewed this screen 2 times."
    And I click the button "Continue"
    Then I should see the phrase "All done with the interview."
