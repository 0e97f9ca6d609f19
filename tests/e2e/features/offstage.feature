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

  # docassemble's navigation steps on docassemble's page: the Help tab, the menu, Back, text boxes.
  Scenario: Test the interview "Page features" with docassemble's navigation steps
    Given I start the interview "page_features.yml"
    Then I should see the phrase "What do you like?"
    And I go to the help screen
    Then I should see the phrase "Pick the fruits you like."
    And I should see the phrase "About this interview"
    And I go back to the question screen
    Then I should see the phrase "An author’s Bootstrap button"
    And I set the text box to "Ada"
    And I click the option "Pear"
    And I click the option "No" under "Sure"
    And I click the button "Continue"
    Then I should see the phrase "Hello Ada, sure is False."
    And I select "Count a visit" from the menu
    Then I should see the phrase "Visits: 1."
    And I click the back button
    Then I should see the phrase "What do you like?"
